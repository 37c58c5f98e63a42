package io.vireo.scheduler.plugins.helper;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.DoubleColumn;
import io.vireo.scheduler.snapshot.LongColumn;
import io.vireo.scheduler.snapshot.ResourceDemand;

/**
 * Shares of capacity after a placement, for the resource scorers. The free share of a class on a host is
 * {@code (free - demand) / capacity}; its used share is {@code 1 - free share}. A class the host has none of has free
 * share 0 and so counts as fully used. One pass per scoring class over one column, nothing allocated.
 */
public final class ResourceShares {
    private ResourceShares() {}

    /** {@code sums[i]} = the sum, over the scoring classes, of the free share on {@code hosts[i]}. */
    public static void sumFreeShares(CycleState state, int[] hosts, int count, double[] sums) {
        ClusterSnapshot snapshot = state.snapshot();
        ResourceDemand demand = state.demand();
        for (int j = 0; j < demand.scoringCount(); j++) {
            int c = demand.scoringClass(j);
            long amount = demand.amount(c);
            LongColumn free = snapshot.freeColumn(c);
            DoubleColumn inverseCapacity = snapshot.inverseCapacityColumn(c);
            if (j == 0) {
                for (int i = 0; i < count; i++) {
                    int host = hosts[i];
                    sums[i] = (free.get(host) - amount) * inverseCapacity.get(host);
                }
            } else {
                for (int i = 0; i < count; i++) {
                    int host = hosts[i];
                    sums[i] += (free.get(host) - amount) * inverseCapacity.get(host);
                }
            }
        }
    }

    /**
     * {@code sums[i]} and {@code squares[i]} = the sum, and the sum of squares, over the scoring classes, of the used
     * share on {@code hosts[i]}, each share first clamped to [0, 1].
     */
    public static void sumUsedShares(CycleState state, int[] hosts, int count, double[] sums, double[] squares) {
        ClusterSnapshot snapshot = state.snapshot();
        ResourceDemand demand = state.demand();
        for (int j = 0; j < demand.scoringCount(); j++) {
            int c = demand.scoringClass(j);
            long amount = demand.amount(c);
            LongColumn free = snapshot.freeColumn(c);
            DoubleColumn inverseCapacity = snapshot.inverseCapacityColumn(c);
            boolean first = j == 0;
            for (int i = 0; i < count; i++) {
                int host = hosts[i];
                double used = 1.0 - (free.get(host) - amount) * inverseCapacity.get(host);
                double share = Math.min(1.0, Math.max(0.0, used));
                sums[i] = (first ? 0.0 : sums[i]) + share;
                squares[i] = (first ? 0.0 : squares[i]) + share * share;
            }
        }
    }
}
