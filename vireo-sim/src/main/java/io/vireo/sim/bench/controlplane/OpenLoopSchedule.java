package io.vireo.sim.bench.controlplane;

/**
 * When the requests of an open-loop load are due: request {@code i} at {@code startNanos + i / perSecond}, whatever
 * became of the ones before. A client that is late sends at once and still measures from the due time, so a server
 * that falls behind shows its queue in the latencies instead of slowing the load down (coordinated omission).
 *
 * @param startNanos when request 0 is due, on {@link System#nanoTime()}'s scale
 * @param perSecond the rate
 */
record OpenLoopSchedule(long startNanos, double perSecond) {
    private static final double NANOS_PER_SECOND = 1e9;

    OpenLoopSchedule {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("perSecond must be positive: " + perSecond);
        }
    }

    /** When request {@code index} is due. */
    long dueNanos(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative: " + index);
        }
        return startNanos + (long) Math.floor(index * NANOS_PER_SECOND / perSecond);
    }

    /** How many requests are due before {@code endNanos}: those of index 0 to the result, exclusive. */
    long countBefore(long endNanos) {
        if (endNanos <= startNanos) {
            return 0;
        }
        long count = (long) Math.ceil((endNanos - startNanos) * perSecond / NANOS_PER_SECOND);
        while (count > 0 && dueNanos(count - 1) >= endNanos) {
            count--;
        }
        while (dueNanos(count) < endNanos) {
            count++;
        }
        return count;
    }
}
