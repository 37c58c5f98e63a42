package io.vireo.sim.packing;

import static java.util.Objects.requireNonNull;

/**
 * One arrival sequence placed by one placer: hosts used (any class non-zero), VMs that found no host, and the time of
 * the placement calls alone, in nanoseconds.
 */
public record PackingResult(String placer, int hostsUsed, int unplaced, int placed, long placementNanos) {
    public PackingResult {
        requireNonNull(placer, "placer is null");
    }

    public double microsPerPlacement() {
        int calls = placed + unplaced;
        return calls == 0 ? 0 : placementNanos / 1_000.0 / calls;
    }
}
