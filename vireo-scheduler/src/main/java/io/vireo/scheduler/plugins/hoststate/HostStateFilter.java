package io.vireo.scheduler.plugins.hoststate;

import io.vireo.model.HostState;
import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.FilterPlugin;
import io.vireo.scheduler.framework.Status;
import io.vireo.scheduler.snapshot.ClusterSnapshot;

/**
 * Rejects hosts whose {@link HostState} is not {@link HostState#schedulable() schedulable} (only UP is): a DOWN host is
 * not heard from, a host in MAINTENANCE was taken out by an operator.
 *
 * <p>Stateless; one shared rejection status per state.
 */
public final class HostStateFilter implements FilterPlugin {
    public static final String NAME = "HostState";

    private static final HostState[] STATES = HostState.values();
    private final Status[] statusByState = new Status[STATES.length];
    private final long schedulableMask;

    public HostStateFilter() {
        long mask = 0;
        for (HostState state : STATES) {
            boolean schedulable = state.schedulable();
            statusByState[ClusterSnapshot.stateCode(state)] =
                    schedulable ? Status.SUCCESS : Status.unschedulable(NAME, "host " + state);
            mask |= schedulable ? 1L << ClusterSnapshot.stateCode(state) : 0;
        }
        this.schedulableMask = mask;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, int host) {
        return statusByState[state.snapshot().stateColumn().get(host)];
    }

    @Override
    public int retainFeasible(CycleState state, int[] hosts, int count) {
        return state.snapshot().stateColumn().retainInMask(schedulableMask, hosts, count);
    }
}
