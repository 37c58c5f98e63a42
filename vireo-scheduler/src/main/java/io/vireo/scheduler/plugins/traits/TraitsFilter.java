package io.vireo.scheduler.plugins.traits;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.FilterPlugin;
import io.vireo.scheduler.framework.PreFilterPlugin;
import io.vireo.scheduler.framework.StateKey;
import io.vireo.scheduler.framework.Status;
import io.vireo.scheduler.plugins.helper.LabelMatch;

/**
 * A host must have every trait the request requires (such as {@code cpu.avx2}) and none it forbids. SKIP when the
 * request names no trait a host has; UNSCHEDULABLE when it requires a trait no host has.
 */
public final class TraitsFilter implements PreFilterPlugin, FilterPlugin {
    public static final String NAME = "Traits";

    private static final StateKey<LabelMatch> KEY = StateKey.of(NAME, LabelMatch.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state) {
        LabelMatch match = LabelMatch.compile(
                NAME, "trait", state.request().traits(), state.snapshot().traits());
        if (match.preFilterStatus().isSuccess()) {
            state.write(KEY, match);
        }
        return match.preFilterStatus();
    }

    @Override
    public Status filter(CycleState state, int host) {
        return state.read(KEY).check(state.snapshot().traitBits(), host);
    }

    @Override
    public int retainFeasible(CycleState state, int[] hosts, int count) {
        return state.read(KEY).retain(state.snapshot().traitBits(), hosts, count);
    }
}
