package io.vireo.agent.reconcile;

import io.vireo.model.DesiredVm;
import io.vireo.model.ObservedPower;
import org.jspecify.annotations.Nullable;

/**
 * The reconciler's decision for one VM, as a pure function of what is desired, what was applied and what the driver
 * shows. Level-triggered: the same inputs give the same step, whatever happened before, so replaying it after a
 * restart or a lost message is safe.
 *
 * <ul>
 *   <li>Not desired and not removed: {@code NONE} (leave foreign VMs, and everything before the first full set, alone).
 *   <li>Removed (by a delta, or left out of a full set while managed): {@code DELETE} while it exists, then
 *       {@code FORGET} the bookkeeping.
 *   <li>Desired {@code DELETED}: {@code DELETE} while it exists.
 *   <li>Desired {@code STOPPED}: {@code CREATE} if absent (defined, not started), {@code STOP} if it runs.
 *   <li>Desired {@code RUNNING}: {@code CREATE}, then {@code START}; {@code RESUME} if paused; {@code POLL} while it
 *       boots; {@code REBOOT} once running if the desired reboot count exceeds the applied one.
 *   <li>Desired {@code PAUSED}: {@code PAUSE} if it runs; {@code POLL} while it boots (then pause it); {@code CREATE}
 *       if absent (defined, not started); a stopped VM stays stopped: a guest that is gone is not booted only to be
 *       paused. An agent restart finds a paused QEMU paused and leaves it so.
 *   <li>Otherwise {@code RECORD} if the bookkeeping lags behind the desired entry, else {@code NONE}.
 * </ul>
 *
 * <p>A fresh boot ({@code START}) or a stop satisfies pending reboots. Stateless and thread-safe.
 */
final class VmPlanner {
    private VmPlanner() {}

    static VmPlan plan(
            @Nullable DesiredVm desired, boolean removed, @Nullable VmBookkeeping bookkeeping, ObservedPower power) {
        if (desired == null) {
            return removed ? planRemoval(bookkeeping, power) : VmPlan.NOTHING;
        }
        return switch (desired.desiredState()) {
            case DELETED -> planDeleted(desired, bookkeeping, power);
            case STOPPED -> planStopped(desired, bookkeeping, power);
            case RUNNING -> planRunning(desired, bookkeeping, power);
            case PAUSED -> planPaused(desired, bookkeeping, power);
        };
    }

    private static VmPlan planRemoval(@Nullable VmBookkeeping bookkeeping, ObservedPower power) {
        if (power != ObservedPower.ABSENT) {
            return new VmPlan(VmAction.DELETE, null);
        }
        return bookkeeping != null ? new VmPlan(VmAction.FORGET, null) : VmPlan.NOTHING;
    }

    private static VmPlan planDeleted(DesiredVm desired, @Nullable VmBookkeeping bookkeeping, ObservedPower power) {
        VmBookkeeping after = applied(desired, bookkeeping, desired.rebootCount());
        if (power != ObservedPower.ABSENT) {
            return new VmPlan(VmAction.DELETE, after);
        }
        return record(bookkeeping, after);
    }

    private static VmPlan planStopped(DesiredVm desired, @Nullable VmBookkeeping bookkeeping, ObservedPower power) {
        return switch (power) {
            case ABSENT -> new VmPlan(VmAction.CREATE, applied(desired, bookkeeping, desired.rebootCount()));
            case RUNNING, PAUSED, CREATING ->
                new VmPlan(VmAction.STOP, applied(desired, bookkeeping, desired.rebootCount()));
            case STOPPED, FAILED -> record(bookkeeping, applied(desired, bookkeeping, desired.rebootCount()));
        };
    }

    private static VmPlan planRunning(DesiredVm desired, @Nullable VmBookkeeping bookkeeping, ObservedPower power) {
        long appliedReboots = bookkeeping == null ? desired.rebootCount() : bookkeeping.rebootCount();
        return switch (power) {
            case ABSENT -> new VmPlan(VmAction.CREATE, applied(desired, bookkeeping, appliedReboots));
            case STOPPED, FAILED -> new VmPlan(VmAction.START, applied(desired, bookkeeping, desired.rebootCount()));
            case PAUSED -> new VmPlan(VmAction.RESUME, applied(desired, bookkeeping, appliedReboots));
            case CREATING -> new VmPlan(VmAction.POLL, applied(desired, bookkeeping, appliedReboots));
            case RUNNING ->
                desired.rebootCount() > appliedReboots
                        ? new VmPlan(VmAction.REBOOT, applied(desired, bookkeeping, desired.rebootCount()))
                        : record(bookkeeping, applied(desired, bookkeeping, appliedReboots));
        };
    }

    private static VmPlan planPaused(DesiredVm desired, @Nullable VmBookkeeping bookkeeping, ObservedPower power) {
        long appliedReboots = bookkeeping == null ? desired.rebootCount() : bookkeeping.rebootCount();
        VmBookkeeping after = applied(desired, bookkeeping, appliedReboots);
        return switch (power) {
            case ABSENT -> new VmPlan(VmAction.CREATE, after);
            case RUNNING -> new VmPlan(VmAction.PAUSE, after);
            case CREATING -> new VmPlan(VmAction.POLL, after);
            case PAUSED, STOPPED, FAILED -> record(bookkeeping, after);
        };
    }

    private static VmPlan record(@Nullable VmBookkeeping bookkeeping, VmBookkeeping after) {
        return after.equals(bookkeeping) ? VmPlan.NOTHING : new VmPlan(VmAction.RECORD, after);
    }

    private static VmBookkeeping applied(DesiredVm desired, @Nullable VmBookkeeping bookkeeping, long rebootCount) {
        long epoch = bookkeeping == null ? desired.epoch() : Math.max(bookkeeping.epoch(), desired.epoch());
        return new VmBookkeeping(desired.vmId(), desired.generation(), rebootCount, epoch);
    }
}
