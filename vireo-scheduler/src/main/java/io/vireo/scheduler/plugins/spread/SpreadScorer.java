package io.vireo.scheduler.plugins.spread;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.ScorePlugin;

/**
 * Least allocated first: the mean, over the scoring classes (VCPU, MEMORY_MIB and whatever the VM asks for), of the
 * share of capacity still free after the placement, times MAX_SCORE, clamped to [0, MAX_SCORE]. Spreads load, leaving
 * room on every host. Reads the cycle's shared {@link CycleState#shareSums share sums}.
 */
public final class SpreadScorer implements ScorePlugin {
    public static final String NAME = "Spread";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(CycleState state, int[] hosts, int count, double[] scores) {
        double[] freeSums = state.shareSums(hosts, count).freeSums();
        double factor = MAX_SCORE / state.demand().scoringCount();
        for (int i = 0; i < count; i++) {
            scores[i] = Math.min(MAX_SCORE, Math.max(0.0, freeSums[i] * factor));
        }
    }
}
