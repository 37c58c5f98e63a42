package io.vireo.scheduler.snapshot;

/**
 * Per feasible host, sums over a demand's scoring classes of its shares of capacity after a placement: the free share
 * {@code (free - demand) / capacity}, and the used share {@code 1 - free share} clamped to [0, 1] with its square.
 * Filled by {@link ClusterSnapshot#sumShares} in one pass over the free columns, so that several resource scorers of
 * one cycle read them instead of each gathering every column again.
 *
 * <p>Slot {@code i} belongs to the {@code i}-th host of the list it was filled for. The arrays are reused scratch
 * space: only the first {@code count} slots of the latest fill mean anything. Not thread-safe.
 */
public final class ShareSums {
    private double[] freeSums = new double[0];
    private double[] usedSums = new double[0];
    private double[] usedSquares = new double[0];
    private double[] scratch = new double[0];

    /** Grows the arrays to at least {@code hosts} slots. */
    public void ensureHosts(int hosts) {
        if (freeSums.length < hosts) {
            freeSums = new double[hosts];
            usedSums = new double[hosts];
            usedSquares = new double[hosts];
            scratch = new double[hosts];
        }
    }

    /** Sum of the free shares per host (not clamped); read only. */
    public double[] freeSums() {
        return freeSums;
    }

    /** Sum of the used shares per host, each clamped to [0, 1]; read only. */
    public double[] usedSums() {
        return usedSums;
    }

    /** Sum of the squares of the clamped used shares per host; read only. */
    public double[] usedSquares() {
        return usedSquares;
    }

    /** Scratch slots for the kernels that fill the sums (see {@link ColumnKernels#addSharesContiguous}). */
    double[] scratch() {
        return scratch;
    }
}
