package io.vireo.agent.support;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with "equal jitter": the delay before attempt {@code n} (0-based) is drawn uniformly from
 * {@code [cap/2, cap]} where {@code cap = min(maximum, minimum * 2^n)}, and never falls below {@code minimum}. The
 * jitter spreads the reconnections of many agents after a server restart.
 *
 * <p>Not thread-safe: it draws from the {@link RandomGenerator} it is given, which need not be thread-safe either.
 */
public final class ExponentialBackoff {
    private static final int MAX_DOUBLINGS = 30;

    private final Duration minimum;
    private final Duration maximum;
    private final RandomGenerator random;

    public ExponentialBackoff(Duration minimum, Duration maximum, RandomGenerator random) {
        this.minimum = requireNonNull(minimum, "minimum is null");
        this.maximum = requireNonNull(maximum, "maximum is null");
        this.random = requireNonNull(random, "random is null");
        if (minimum.isNegative() || minimum.isZero()) {
            throw new IllegalArgumentException("minimum must be positive: " + minimum);
        }
        if (maximum.compareTo(minimum) < 0) {
            throw new IllegalArgumentException("maximum " + maximum + " is below minimum " + minimum);
        }
    }

    /** The delay before retry number {@code attempt} (0 for the first retry). */
    public Duration delay(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative: " + attempt);
        }
        long minimumNanos = minimum.toNanos();
        long maximumNanos = maximum.toNanos();
        int doublings = Math.min(attempt, MAX_DOUBLINGS);
        long capNanos = minimumNanos > (maximumNanos >> doublings)
                ? maximumNanos
                : Math.min(maximumNanos, minimumNanos << doublings);
        long half = capNanos / 2;
        long jittered = half + random.nextLong(capNanos - half + 1);
        return Duration.ofNanos(Math.max(minimumNanos, jittered));
    }
}
