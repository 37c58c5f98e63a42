package io.vireo.api.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per API credential: each caller may send {@code burst} requests at once and {@code perSecond} a
 * second after that; a request beyond it is refused with how long to wait (answered 429 with {@code Retry-After}).
 * Buckets are keyed by a SHA-256 of the credential, never by the credential itself, and at most
 * {@link #MAX_CALLERS} are kept: past it, the buckets that have refilled (which hold no state worth keeping) are
 * dropped. Thread-safe.
 */
public final class RateLimiter {
    /** The most callers whose buckets are tracked at once. */
    public static final int MAX_CALLERS = 100_000;

    /** The limits. {@code perSecond == 0} turns limiting off. */
    public record Limit(double perSecond, int burst) {
        public static final Limit OFF = new Limit(0, 1);
        /** Generous for one operator or automation; the control-plane benchmark raises or disables it. */
        public static final Limit DEFAULT = new Limit(1_000, 2_000);

        public Limit {
            if (perSecond < 0 || Double.isNaN(perSecond) || burst < 1) {
                throw new IllegalArgumentException(
                        "a rate limit needs perSecond >= 0 and burst >= 1: " + perSecond + ", " + burst);
            }
        }

        boolean off() {
            return perSecond == 0;
        }
    }

    private final Limit limit;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(Limit limit, Clock clock) {
        this.limit = requireNonNull(limit, "limit is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Takes one request of {@code credential}'s allowance: empty if it may go on, else how long to wait. */
    public Optional<Duration> take(String credential) {
        if (limit.off()) {
            return Optional.empty();
        }
        long nowNanos = nanos();
        if (buckets.size() >= MAX_CALLERS) {
            buckets.values().removeIf(bucket -> bucket.full(nowNanos));
        }
        Bucket bucket = buckets.computeIfAbsent(key(credential), k -> new Bucket(nowNanos));
        return bucket.take(nowNanos);
    }

    private long nanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static String key(String credential) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tokens as a fraction, refilled lazily from the time of the last take. */
    private final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(long nowNanos) {
            this.tokens = limit.burst();
            this.lastNanos = nowNanos;
        }

        synchronized Optional<Duration> take(long nowNanos) {
            refill(nowNanos);
            if (tokens >= 1) {
                tokens -= 1;
                return Optional.empty();
            }
            double seconds = (1 - tokens) / limit.perSecond();
            return Optional.of(Duration.ofNanos((long) Math.ceil(seconds * 1e9)));
        }

        synchronized boolean full(long nowNanos) {
            refill(nowNanos);
            return tokens >= limit.burst();
        }

        private void refill(long nowNanos) {
            long elapsed = Math.max(0, nowNanos - lastNanos);
            tokens = Math.min(limit.burst(), tokens + elapsed / 1e9 * limit.perSecond());
            lastNanos = nowNanos;
        }
    }
}
