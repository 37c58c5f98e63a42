package io.vireo.scheduler.plugins.recentfailures;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.Normalization;
import io.vireo.scheduler.framework.ScorePlugin;
import io.vireo.scheduler.framework.Status;

/**
 * Prefers hosts with fewer recent placement failures (the snapshot's per-host count, kept by the controller): MAX_SCORE
 * for none, falling linearly to 0 for the most failures among the feasible hosts. Equal counts change nothing.
 */
public final class AvoidRecentFailuresScorer implements ScorePlugin {
    public static final String NAME = "AvoidRecentFailures";

    @Override
    public String name() {
        return NAME;
    }

    /** SKIP on a cluster without failures: every host would score the same. */
    @Override
    public Status preScore(CycleState state) {
        return state.snapshot().hostsWithRecentFailures() == 0 ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public void score(CycleState state, int[] hosts, int count, double[] scores) {
        state.snapshot().recentFailuresColumn().gather(hosts, count, scores);
    }

    @Override
    public void normalize(CycleState state, double[] scores, int count) {
        Normalization.scaleToMax(scores, count, true);
    }
}
