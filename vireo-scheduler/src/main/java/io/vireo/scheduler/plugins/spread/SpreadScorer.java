package io.vireo.scheduler.plugins.spread;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.Normalization;
import io.vireo.scheduler.framework.ScorePlugin;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.DoubleColumn;
import io.vireo.scheduler.snapshot.LongColumn;
import io.vireo.scheduler.snapshot.ResourceDemand;

/**
 * Least allocated first: the mean, over the scoring classes (VCPU, MEMORY_MIB and whatever the VM asks for), of the
 * share of capacity still free after the placement, times MAX_SCORE. Spreads load, leaving room on every host.
 */
public final class SpreadScorer implements ScorePlugin {
    public static final String NAME = "Spread";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(CycleState state, int[] hosts, int count, double[] scores) {
        ClusterSnapshot snapshot = state.snapshot();
        ResourceDemand demand = state.demand();
        java.util.Arrays.fill(scores, 0, count, 0.0);
        for (int j = 0; j < demand.scoringCount(); j++) {
            int c = demand.scoringClass(j);
            long amount = demand.amount(c);
            LongColumn free = snapshot.freeColumn(c);
            DoubleColumn inverseCapacity = snapshot.inverseCapacityColumn(c);
            for (int i = 0; i < count; i++) {
                int host = hosts[i];
                scores[i] += (free.get(host) - amount) * inverseCapacity.get(host);
            }
        }
        double factor = MAX_SCORE / demand.scoringCount();
        for (int i = 0; i < count; i++) {
            scores[i] *= factor;
        }
    }

    @Override
    public void normalize(CycleState state, double[] scores, int count) {
        Normalization.clamp(scores, count);
    }
}
