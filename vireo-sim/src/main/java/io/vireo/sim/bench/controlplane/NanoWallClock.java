package io.vireo.sim.bench.controlplane;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Turns {@link System#nanoTime()} readings into wall-clock instants, from one reading of both taken together: the
 * load measures due times on the monotonic clock, the server stamps its events with the wall clock of the same
 * machine.
 */
record NanoWallClock(Instant origin, long originNanos) {
    NanoWallClock {
        requireNonNull(origin, "origin is null");
    }

    Instant wall(long nanos) {
        return origin.plusNanos(nanos - originNanos);
    }
}
