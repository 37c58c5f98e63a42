package io.vireo.scheduler.snapshot;

/**
 * An immutable column of {@code double}s, one per host, in one flat array. Used for per-host facts that only a new
 * inventory changes (such as the inverse of a capacity), which derived snapshots share by reference.
 *
 * <p>Invariant: the array is private and never written after construction. Immutable and thread-safe.
 */
public final class DoubleColumn {
    private final double[] values;

    private DoubleColumn(double[] values) {
        this.values = values;
    }

    /** A column holding a copy of {@code values}. */
    public static DoubleColumn of(double[] values) {
        return new DoubleColumn(values.clone());
    }

    public int size() {
        return values.length;
    }

    public double get(int index) {
        return values[index];
    }

    /** The values, for the snapshot's kernels only: never written. */
    double[] values() {
        return values;
    }

    /** This column with slot {@code index} set to {@code value}: a full copy, for changes of inventory only. */
    public DoubleColumn with(int index, double value) {
        double[] copy = values.clone();
        copy[index] = value;
        return new DoubleColumn(copy);
    }
}
