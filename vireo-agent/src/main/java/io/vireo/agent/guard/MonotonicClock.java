package io.vireo.agent.guard;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that only moves forward at the rate of {@link System#nanoTime()}: instants are the start instant plus the
 * nanoseconds elapsed since. A fence guard times its lease with it, so that a wall-clock step (NTP, an operator)
 * neither fences a host early nor keeps it late. Made once by the guard's composition root; thread-safe.
 */
public final class MonotonicClock extends Clock {
    private final Instant origin;
    private final long originNanos;

    private MonotonicClock(Instant origin, long originNanos) {
        this.origin = origin;
        this.originNanos = originNanos;
    }

    /** A clock that starts at {@code origin} now. */
    public static MonotonicClock startingAt(Instant origin) {
        return new MonotonicClock(origin, System.nanoTime());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return origin.plusNanos(System.nanoTime() - originNanos);
    }
}
