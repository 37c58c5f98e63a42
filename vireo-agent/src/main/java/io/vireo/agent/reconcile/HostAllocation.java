package io.vireo.agent.reconcile;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Resources;

/**
 * The resources the VMs of this host hold, as the reconciler last saw them: what running, booting or paused VMs use,
 * and what every defined VM's disk takes. Sizes come from the desired entries (a VM the server never described counts
 * as zero).
 *
 * @param runningVms VMs observed {@code RUNNING}
 * @param active vCPUs and memory of running, booting and paused VMs, plus their disks
 * @param defined the sizes of every VM defined on the host, running or not
 */
public record HostAllocation(int runningVms, Resources active, Resources defined) {
    public static final HostAllocation NONE = new HostAllocation(0, Resources.ZERO, Resources.ZERO);

    public HostAllocation {
        requireNonNull(active, "active is null");
        requireNonNull(defined, "defined is null");
        if (runningVms < 0) {
            throw new IllegalArgumentException("runningVms must not be negative: " + runningVms);
        }
    }

    HostAllocation plus(HostAllocation other) {
        return new HostAllocation(
                runningVms + other.runningVms, active.plus(other.active), defined.plus(other.defined));
    }

    HostAllocation minus(HostAllocation other) {
        return new HostAllocation(
                Math.max(0, runningVms - other.runningVms), active.minus(other.active), defined.minus(other.defined));
    }
}
