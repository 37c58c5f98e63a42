package io.vireo.scheduler.plugins.balancedresources;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.ScorePlugin;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.ResourceDemand;

/**
 * Balanced use: {@code (1 - standard deviation of the used shares) * MAX_SCORE}, over the scoring classes, after the
 * placement (shares capped to [0, 1]). Avoids hosts whose memory runs out while their CPUs idle, or the reverse.
 */
public final class BalancedResourcesScorer implements ScorePlugin {
    public static final String NAME = "BalancedResources";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(CycleState state, int[] hosts, int count, double[] scores) {
        ClusterSnapshot snapshot = state.snapshot();
        ResourceDemand demand = state.demand();
        int classes = demand.scoringCount();
        for (int i = 0; i < count; i++) {
            int host = hosts[i];
            double sum = 0;
            double sumOfSquares = 0;
            for (int j = 0; j < classes; j++) {
                int c = demand.scoringClass(j);
                double used = snapshot.capacity(c, host) - snapshot.free(c, host) + demand.amount(c);
                double share = Math.min(1.0, Math.max(0.0, used * snapshot.inverseCapacity(c, host)));
                sum += share;
                sumOfSquares += share * share;
            }
            double mean = sum / classes;
            double variance = Math.max(0.0, sumOfSquares / classes - mean * mean);
            scores[i] = (1.0 - Math.sqrt(variance)) * MAX_SCORE;
        }
    }
}
