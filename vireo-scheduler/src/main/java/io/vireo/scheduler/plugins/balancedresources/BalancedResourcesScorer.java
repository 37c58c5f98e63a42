package io.vireo.scheduler.plugins.balancedresources;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.ScorePlugin;
import io.vireo.scheduler.snapshot.ShareSums;

/**
 * Balanced use: {@code (1 - standard deviation of the used shares) * MAX_SCORE}, over the scoring classes, after the
 * placement (shares clamped to [0, 1]). Avoids hosts whose memory runs out while their CPUs idle, or the reverse.
 * Reads the cycle's shared {@link CycleState#shareSums share sums}.
 */
public final class BalancedResourcesScorer implements ScorePlugin {
    public static final String NAME = "BalancedResources";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(CycleState state, int[] hosts, int count, double[] scores) {
        ShareSums sums = state.shareSums(hosts, count);
        double[] usedSums = sums.usedSums();
        double[] squares = sums.usedSquares();
        double classes = state.demand().scoringCount();
        for (int i = 0; i < count; i++) {
            double mean = usedSums[i] / classes;
            double variance = Math.max(0.0, squares[i] / classes - mean * mean);
            scores[i] = (1.0 - Math.sqrt(variance)) * MAX_SCORE;
        }
    }
}
