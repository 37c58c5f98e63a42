package io.vireo.scheduler.plugins.requiredhost;

import io.vireo.scheduler.RequiredHost;
import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.FilterPlugin;
import io.vireo.scheduler.framework.PreFilterPlugin;
import io.vireo.scheduler.framework.StateKey;
import io.vireo.scheduler.framework.Status;

/**
 * Keeps only the host a request requires ({@link io.vireo.scheduler.PlacementRequest#requiredHost()}), such as the
 * host holding a VM's volume. PreFilter finds the host's number (none if the snapshot lacks it: then every host is
 * rejected) and builds the cycle's one rejection status, which names the reason; SKIP when nothing is required.
 */
public final class RequiredHostFilter implements PreFilterPlugin, FilterPlugin {
    public static final String NAME = "RequiredHost";

    private static final StateKey<Required> KEY = StateKey.of(NAME, Required.class);

    /** The host number kept (-1: none) and the status of every other host. */
    private record Required(int host, Status rejected) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state) {
        RequiredHost required = state.request().requiredHost();
        if (required == null) {
            return Status.SKIP;
        }
        int host = state.snapshot().indexOf(required.hostId());
        String reason = host < 0 ? required.reason() + " is not among the hosts" : "not " + required.reason();
        state.write(KEY, new Required(host, Status.unschedulable(NAME, reason)));
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, int host) {
        Required required = state.read(KEY);
        return host == required.host() ? Status.SUCCESS : required.rejected();
    }

    @Override
    public int retainFeasible(CycleState state, int[] hosts, int count) {
        int wanted = state.read(KEY).host();
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (hosts[i] == wanted) {
                hosts[kept++] = hosts[i];
            }
        }
        return kept;
    }
}
