package io.vireo.scheduler.framework;

import io.vireo.scheduler.snapshot.ShareSums;

/**
 * Scratch arrays for placement cycles, so that a caller placing many VMs allocates them once: a block of host numbers
 * for the filters, the feasible hosts, and per feasible host one plugin's scores, the weighted totals and a scratch
 * array a scorer may use ({@link CycleState#scratch()}), and the share sums resource scorers share
 * ({@link CycleState#shareSums}).
 *
 * <p>Threading: one placement at a time; give each thread its own workspace. Grows to the largest snapshot seen.
 */
public final class PlacementWorkspace {
    /** Hosts per filter block: one page of a snapshot column. */
    public static final int BLOCK_SIZE = 1024;

    final int[] block = new int[BLOCK_SIZE];
    int[] feasible = new int[0];
    double[] scores = new double[0];
    double[] totals = new double[0];
    double[] scratch = new double[0];
    final ShareSums shareSums = new ShareSums();

    void ensureHosts(int hostCount) {
        if (feasible.length < hostCount) {
            feasible = new int[hostCount];
            scores = new double[hostCount];
            totals = new double[hostCount];
            scratch = new double[hostCount];
        }
        shareSums.ensureHosts(hostCount);
    }
}
