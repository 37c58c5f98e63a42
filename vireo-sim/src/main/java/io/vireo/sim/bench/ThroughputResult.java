package io.vireo.sim.bench;

/**
 * Placement speed on one prefilled cluster, profile {@code default}, full scan: one thread's rate and latency
 * percentiles, the combined rate of two threads (each its own workspace), the mean thread CPU time of a decision that
 * placed a VM divided by the host count, and how many of a thread's decisions found no host.
 */
public record ThroughputResult(
        int hosts,
        int prefillPercent,
        int placementsPerThread,
        double placementsPerSecond,
        double placementsPerSecondTwoThreads,
        double p50Micros,
        double p99Micros,
        double nsPerHostEvaluated,
        int unplaced) {}
