package io.vireo.agent.reconcile;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.model.DesiredVm;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import io.vireo.model.Resources;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Everything the reconciler knows of one VM. Mutable and confined to the reconciler's loop thread; never shared.
 *
 * <p>Invariants: {@code bookkeeping} mirrors the VM's bookkeeping file; {@code inFlight} is set exactly while one
 * operation on this VM runs; {@code removed} implies {@code desired == null}.
 */
final class VmEntry {
    /** Why the last operation failed, and for which desired generation and epoch. */
    record Failure(String message, long generation, long epoch) {
        Failure {
            requireNonNull(message, "message is null");
        }
    }

    final UUID vmId;

    @Nullable
    DesiredVm desired;
    /** The VM left the desired set (delta removal, or a full set without it): delete it, then forget it. */
    boolean removed;

    @Nullable
    VmBookkeeping bookkeeping;
    /** The VM as the driver last showed it; {@code null}: absent. */
    @Nullable
    DriverVm observed;

    @Nullable
    VmAction inFlight;
    /** The loop tick at which the last operation completed, to discard scans that started before it. */
    long lastCompletionTick;

    @Nullable
    Failure failure;

    int consecutiveFailures;
    /** No new operation before this instant (retry backoff, boot polling). */
    Instant notBefore = Instant.MIN;

    @Nullable
    ObservedVm lastReported;
    /** This VM's share of the host allocation, as last added to the reconciler's totals. */
    HostAllocation allocation = HostAllocation.NONE;

    VmEntry(UUID vmId) {
        this.vmId = requireNonNull(vmId, "vmId is null");
    }

    ObservedPower power() {
        DriverVm vm = observed;
        return vm == null ? ObservedPower.ABSENT : vm.power();
    }

    /** The highest epoch this agent has seen for the VM, 0 if none. */
    long knownEpoch() {
        long epoch = 0;
        if (bookkeeping != null) {
            epoch = bookkeeping.epoch();
        }
        if (desired != null) {
            epoch = Math.max(epoch, desired.epoch());
        }
        return epoch;
    }

    /** Nothing left to track: not desired, not on the driver, no bookkeeping, nothing running. */
    boolean forgettable() {
        return desired == null && observed == null && bookkeeping == null && inFlight == null;
    }

    /** What to report: a failure wins; a VM being created or started shows {@code CREATING}. */
    ObservedVm toObservedVm() {
        long generation = bookkeeping == null ? 0 : bookkeeping.generation();
        long rebootCount = bookkeeping == null ? 0 : bookkeeping.rebootCount();
        long epoch = bookkeeping == null ? 0 : bookkeeping.epoch();
        Instant startedAt = observed == null ? null : observed.startedAt();
        Failure lastFailure = failure;
        if (lastFailure != null) {
            return new ObservedVm(
                    vmId,
                    ObservedPower.FAILED,
                    lastFailure.generation(),
                    rebootCount,
                    lastFailure.epoch(),
                    startedAt,
                    lastFailure.message());
        }
        ObservedPower power = power();
        if ((inFlight == VmAction.CREATE || inFlight == VmAction.START) && power != ObservedPower.RUNNING) {
            power = ObservedPower.CREATING;
        }
        String message = observed == null ? "" : observed.message();
        return new ObservedVm(vmId, power, generation, rebootCount, epoch, startedAt, message);
    }

    /** This VM's share of the host allocation, from its desired size and observed power. */
    HostAllocation computeAllocation() {
        Resources size = desired == null ? Resources.ZERO : desired.resources();
        ObservedPower power = power();
        boolean active =
                power == ObservedPower.RUNNING || power == ObservedPower.CREATING || power == ObservedPower.PAUSED;
        return new HostAllocation(
                power == ObservedPower.RUNNING ? 1 : 0,
                active ? size : Resources.ZERO,
                power == ObservedPower.ABSENT ? Resources.ZERO : size);
    }
}
