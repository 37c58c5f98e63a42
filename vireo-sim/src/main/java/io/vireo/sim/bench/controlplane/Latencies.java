package io.vireo.sim.bench.controlplane;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds and their percentiles. An open-loop request's latency is measured from when it was
 * due ({@link #record(long, long)}), not from when the client got round to sending it.
 *
 * <p>Thread-safe: every method takes the instance's lock. Holds every sample (8 bytes each).
 */
final class Latencies {
    private static final double NANOS_PER_MILLI = 1e6;

    private long[] samples = new long[1024];
    private int size;

    /** A request due at {@code dueNanos} that completed at {@code completedNanos} (a negative difference counts 0). */
    void record(long dueNanos, long completedNanos) {
        recordNanos(Math.max(0, completedNanos - dueNanos));
    }

    synchronized void recordNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a latency must not be negative: " + nanos);
        }
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    synchronized int count() {
        return size;
    }

    /** The nearest-rank percentile in milliseconds, or NaN without samples. */
    synchronized double percentileMillis(double percent) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        return nearestRank(sorted, percent) / NANOS_PER_MILLI;
    }

    /** The largest sample in milliseconds, or NaN without samples. */
    synchronized double maxMillis() {
        if (size == 0) {
            return Double.NaN;
        }
        long max = 0;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, samples[i]);
        }
        return max / NANOS_PER_MILLI;
    }

    /** Adds every sample of {@code other} (a snapshot of it) to this one. */
    void addAll(Latencies other) {
        long[] copy;
        synchronized (other) {
            copy = Arrays.copyOf(other.samples, other.size);
        }
        for (long sample : copy) {
            recordNanos(sample);
        }
    }

    /**
     * The nearest-rank percentile of ascending {@code sorted}: the smallest value such that at least {@code percent}
     * of the values are at most it.
     */
    static long nearestRank(long[] sorted, double percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in (0, 100]: " + percent);
        }
        // the epsilon keeps a rank that is whole on paper (99% of 100) from rounding up to the next one
        int rank = (int) Math.ceil(percent * sorted.length / 100 - 1e-9);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }
}
