package io.vireo.scheduler.plugins.pack;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.ScorePlugin;

/**
 * Most allocated first: the mean, over the scoring classes, of the share of capacity used after the placement, times
 * MAX_SCORE, clamped to [0, MAX_SCORE]. Fills hosts before starting new ones, keeping whole hosts free for large VMs
 * or for powering off. Reads the cycle's shared {@link CycleState#shareSums share sums}.
 */
public final class PackScorer implements ScorePlugin {
    public static final String NAME = "Pack";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(CycleState state, int[] hosts, int count, double[] scores) {
        double[] freeSums = state.shareSums(hosts, count).freeSums();
        int classes = state.demand().scoringCount();
        double factor = MAX_SCORE / classes;
        for (int i = 0; i < count; i++) {
            scores[i] = Math.min(MAX_SCORE, Math.max(0.0, (classes - freeSums[i]) * factor));
        }
    }
}
