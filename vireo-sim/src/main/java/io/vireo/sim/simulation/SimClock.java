package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * Virtual time: it moves only when the event loop takes the next event. Read from whichever thread runs the
 * simulation's one active actor; written by the loop only (the hand-over between them orders the accesses).
 */
final class SimClock extends Clock {
    private volatile Instant now;

    SimClock(Instant start) {
        this.now = requireNonNull(start, "start is null");
    }

    void advanceTo(Instant time) {
        if (time.isAfter(now)) {
            now = time;
        }
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    /** This clock as a host whose clock is off by {@code skew} (which may change while the run goes on) sees it. */
    Clock skewed(Supplier<Duration> skew) {
        SimClock base = this;
        return new Clock() {
            @Override
            public Instant instant() {
                return base.instant().plus(skew.get());
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
    }
}
