package io.vireo.scheduler.plugins.aggregate;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.FilterPlugin;
import io.vireo.scheduler.framework.PreFilterPlugin;
import io.vireo.scheduler.framework.StateKey;
import io.vireo.scheduler.framework.Status;
import io.vireo.scheduler.plugins.helper.LabelMatch;

/**
 * A host must be in every aggregate the request requires and in none it forbids (aggregates are labels an
 * operator puts on a group of hosts, such as {@code ssd} or {@code tenant-a}). SKIP when the request names no
 * aggregate a host is in; UNSCHEDULABLE when it requires one no host is in.
 */
public final class AggregateFilter implements PreFilterPlugin, FilterPlugin {
    public static final String NAME = "Aggregate";

    private static final StateKey<LabelMatch> KEY = StateKey.of(NAME, LabelMatch.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state) {
        LabelMatch match = LabelMatch.compile(
                NAME,
                "aggregate",
                state.request().aggregates(),
                state.snapshot().aggregates());
        if (match.preFilterStatus().isSuccess()) {
            state.write(KEY, match);
        }
        return match.preFilterStatus();
    }

    @Override
    public Status filter(CycleState state, int host) {
        return state.read(KEY).check(state.snapshot().aggregateBits(), host);
    }

    @Override
    public int retainFeasible(CycleState state, int[] hosts, int count) {
        return state.read(KEY).retain(state.snapshot().aggregateBits(), hosts, count);
    }
}
