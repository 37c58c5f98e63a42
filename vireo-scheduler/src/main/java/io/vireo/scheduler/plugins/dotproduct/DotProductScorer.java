package io.vireo.scheduler.plugins.dotproduct;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.Normalization;
import io.vireo.scheduler.framework.ScorePlugin;
import io.vireo.scheduler.framework.Status;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.DoubleColumn;
import io.vireo.scheduler.snapshot.LongColumn;
import io.vireo.scheduler.snapshot.ResourceDemand;

/**
 * Tetris alignment: the dot product of the VM's demand and the host's free resources, both as shares of the host's
 * capacity, over the demanded classes; scaled so the best host scores MAX_SCORE. Puts a memory-heavy VM where memory
 * is what is left, which packs hosts with less stranded capacity.
 */
public final class DotProductScorer implements ScorePlugin {
    public static final String NAME = "DotProduct";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preScore(CycleState state) {
        return state.demand().demandedCount() == 0 ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public void score(CycleState state, int[] hosts, int count, double[] scores) {
        ClusterSnapshot snapshot = state.snapshot();
        ResourceDemand demand = state.demand();
        for (int j = 0; j < demand.demandedCount(); j++) {
            int c = demand.demandedClass(j);
            double amount = demand.amount(c);
            LongColumn free = snapshot.freeColumn(c);
            DoubleColumn inverseCapacity = snapshot.inverseCapacityColumn(c);
            boolean first = j == 0;
            for (int i = 0; i < count; i++) {
                int host = hosts[i];
                double inverse = inverseCapacity.get(host);
                double alignment = amount * inverse * Math.max(0L, free.get(host)) * inverse;
                scores[i] = (first ? 0.0 : scores[i]) + alignment;
            }
        }
    }

    @Override
    public void normalize(CycleState state, double[] scores, int count) {
        Normalization.scaleToMax(scores, count, false);
    }
}
