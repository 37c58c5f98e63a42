package io.vireo.scheduler.snapshot;

/**
 * The snapshot's hot loops over several columns at once. Each walks the host list in runs of hosts on one page and
 * reads the pages directly, so a host costs a few array reads and no page-table lookups. Nothing is allocated.
 */
final class ColumnKernels {
    private ColumnKernels() {}

    /** Where the run of hosts on the page of {@code hosts[from]} ends in {@code hosts[from..count)}. */
    static int runEnd(int[] hosts, int from, int count, int base, int pageLength) {
        int end = from + 1;
        while (end < count && Integer.compareUnsigned(hosts[end] - base, pageLength) < 0) {
            end++;
        }
        return end;
    }

    /** Keeps the hosts where all four columns hold at least their amount (pass a column twice to check fewer). */
    @SuppressWarnings("ShortCircuitBoolean") // branch-free on purpose: hot loop
    static int retainAtLeast4(
            LongColumn c0,
            long a0,
            LongColumn c1,
            long a1,
            LongColumn c2,
            long a2,
            LongColumn c3,
            long a3,
            int[] hosts,
            int count) {
        int kept = 0;
        int i = 0;
        while (i < count) {
            int page = hosts[i] >>> LongColumn.PAGE_SHIFT;
            long[] p0 = c0.page(page);
            long[] p1 = c1.page(page);
            long[] p2 = c2.page(page);
            long[] p3 = c3.page(page);
            int base = page << LongColumn.PAGE_SHIFT;
            int length = p0.length;
            for (; i < count; i++) {
                int host = hosts[i];
                int offset = host - base;
                if (Integer.compareUnsigned(offset, length) >= 0) {
                    break; // the next run starts on another page
                }
                hosts[kept] = host;
                kept += (p0[offset] >= a0 & p1[offset] >= a1 & p2[offset] >= a2 & p3[offset] >= a3) ? 1 : 0;
            }
        }
        return kept;
    }

    /** {@code used} clamped to [0, 1] exactly as {@code Math.min(1.0, Math.max(0.0, used))}, with cheaper tests. */
    static double clampShare(double used) {
        return used <= 0.0 ? 0.0 : (used >= 1.0 ? 1.0 : used);
    }

    /**
     * Adds class {@code c}'s shares for the run {@code hosts[from..to)} (all on one page) into {@code sums};
     * {@code first}: write instead of add. The arithmetic is exactly that of a per-host loop in class order.
     */
    static void addShares(
            long[] freePage,
            int base,
            double[] inverseCapacity,
            long amount,
            int[] hosts,
            int from,
            int to,
            boolean first,
            ShareSums sums) {
        double[] freeSums = sums.freeSums();
        double[] usedSums = sums.usedSums();
        double[] squares = sums.usedSquares();
        for (int i = from; i < to; i++) {
            int host = hosts[i];
            double freeShare = (freePage[host - base] - amount) * inverseCapacity[host];
            double share = clampShare(1.0 - freeShare);
            freeSums[i] = first ? freeShare : freeSums[i] + freeShare;
            usedSums[i] = (first ? 0.0 : usedSums[i]) + share;
            squares[i] = (first ? 0.0 : squares[i]) + share * share;
        }
    }

    /** Three classes at once for the run {@code hosts[from..to)}: each host read once, its sums written once. */
    @SuppressWarnings("ParameterNumber")
    static void shares3(
            long[] f0,
            double[] v0,
            long a0,
            long[] f1,
            double[] v1,
            long a1,
            long[] f2,
            double[] v2,
            long a2,
            int base,
            int[] hosts,
            int from,
            int to,
            ShareSums sums) {
        double[] freeSums = sums.freeSums();
        double[] usedSums = sums.usedSums();
        double[] squares = sums.usedSquares();
        for (int i = from; i < to; i++) {
            int host = hosts[i];
            int offset = host - base;
            double s0 = (f0[offset] - a0) * v0[host];
            double s1 = (f1[offset] - a1) * v1[host];
            double s2 = (f2[offset] - a2) * v2[host];
            double u0 = clampShare(1.0 - s0);
            double u1 = clampShare(1.0 - s1);
            double u2 = clampShare(1.0 - s2);
            freeSums[i] = s0 + s1 + s2;
            usedSums[i] = u0 + u1 + u2;
            squares[i] = u0 * u0 + u1 * u1 + u2 * u2;
        }
    }

    /** Four classes at once for the run {@code hosts[from..to)}: each host read once, its sums written once. */
    @SuppressWarnings("ParameterNumber")
    static void shares4(
            long[] f0,
            double[] v0,
            long a0,
            long[] f1,
            double[] v1,
            long a1,
            long[] f2,
            double[] v2,
            long a2,
            long[] f3,
            double[] v3,
            long a3,
            int base,
            int[] hosts,
            int from,
            int to,
            ShareSums sums) {
        double[] freeSums = sums.freeSums();
        double[] usedSums = sums.usedSums();
        double[] squares = sums.usedSquares();
        for (int i = from; i < to; i++) {
            int host = hosts[i];
            int offset = host - base;
            double s0 = (f0[offset] - a0) * v0[host];
            double s1 = (f1[offset] - a1) * v1[host];
            double s2 = (f2[offset] - a2) * v2[host];
            double s3 = (f3[offset] - a3) * v3[host];
            double u0 = clampShare(1.0 - s0);
            double u1 = clampShare(1.0 - s1);
            double u2 = clampShare(1.0 - s2);
            double u3 = clampShare(1.0 - s3);
            freeSums[i] = s0 + s1 + s2 + s3;
            usedSums[i] = u0 + u1 + u2 + u3;
            squares[i] = u0 * u0 + u1 * u1 + u2 * u2 + u3 * u3;
        }
    }

    /**
     * Class {@code c}'s shares for {@code length} consecutive hosts from {@code host} (page offset {@code offset}),
     * written to (first class) or added into {@code sums[from..from+length)}. The run's inverse capacities are first
     * copied to {@code sums}' scratch at the same slots, so every {@code double[]} in the loop is read and written at
     * one index and the JIT can vectorise it (with two index bases it must assume the arrays overlap);
     * {@code Math.min(1.0, Math.max(0.0, x))} is exactly {@link #clampShare} and vectorises too. Adding the classes one
     * pass at a time in class order gives sums bit for bit equal to {@link #shares3}'s and {@link #shares4}'s.
     */
    static void addSharesContiguous(
            long[] freePage,
            int offset,
            double[] inverseCapacity,
            int host,
            long amount,
            int from,
            int length,
            boolean first,
            ShareSums sums) {
        double[] freeSums = sums.freeSums();
        double[] usedSums = sums.usedSums();
        double[] squares = sums.usedSquares();
        double[] inverse = sums.scratch();
        System.arraycopy(inverseCapacity, host, inverse, from, length);
        int shift = offset - from;
        int to = from + length;
        if (first) {
            for (int i = from; i < to; i++) {
                double freeShare = (freePage[shift + i] - amount) * inverse[i];
                double share = Math.min(1.0, Math.max(0.0, 1.0 - freeShare));
                freeSums[i] = freeShare;
                usedSums[i] = share;
                squares[i] = share * share;
            }
        } else {
            for (int i = from; i < to; i++) {
                double freeShare = (freePage[shift + i] - amount) * inverse[i];
                double share = Math.min(1.0, Math.max(0.0, 1.0 - freeShare));
                freeSums[i] += freeShare;
                usedSums[i] += share;
                squares[i] += share * share;
            }
        }
    }
}
