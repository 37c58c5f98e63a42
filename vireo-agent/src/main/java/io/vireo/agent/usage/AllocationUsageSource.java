package io.vireo.agent.usage;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.reconcile.HostAllocation;
import io.vireo.agent.reconcile.VmReconciler;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;

/**
 * Host use approximated from what the VMs were allocated: memory of running VMs, disk of defined VMs, and CPU as the
 * share of the host's vCPUs that running VMs hold. Right for the fake driver, whose guests use nothing real.
 * Thread-safe.
 */
public final class AllocationUsageSource implements HostUsageSource {
    private static final double PERCENT = 100;

    private final VmReconciler reconciler;
    private final Resources capacity;

    public AllocationUsageSource(VmReconciler reconciler, Resources capacity) {
        this.reconciler = requireNonNull(reconciler, "reconciler is null");
        this.capacity = requireNonNull(capacity, "capacity is null");
    }

    @Override
    public HostUsage sample() {
        HostAllocation allocation = reconciler.allocation();
        double cpuPercent = capacity.vcpus() == 0
                ? 0
                : Math.min(PERCENT, PERCENT * allocation.active().vcpus() / capacity.vcpus());
        return new HostUsage(
                cpuPercent,
                allocation.active().memoryMib(),
                allocation.defined().diskGib(),
                allocation.runningVms());
    }
}
