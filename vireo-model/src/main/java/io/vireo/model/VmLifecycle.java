package io.vireo.model;

import io.vireo.common.VireoException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The VM state machine as pure functions. {@link #apply} turns a user action into a new spec (or refuses it);
 * {@link #derive} computes the observable state from the spec, the placement and the agent's report. Both are total:
 * every combination of inputs has one answer, which the table-driven tests enumerate.
 *
 * <p>Pausing: {@code PAUSE} needs a running VM (desired RUNNING, state RUNNING or PAUSED) and sets the desired state
 * PAUSED; {@code RESUME} sets it back to RUNNING and is refused for a VM that is not paused nor running (use start).
 * On a paused VM, stop and delete work as on a running one (the hypervisor lets the guest run so that it sees the
 * power button), while start and reboot are refused with a hint to resume. A paused VM whose process ends shows
 * STOPPED and is not started again; start boots it afresh.
 */
public final class VmLifecycle {
    private VmLifecycle() {}

    /** The outcome of {@link #derive}: a state and, for ERROR and transitional states, why. */
    public record Status(VmState state, @Nullable String reason) {}

    /**
     * Applies a user action to the spec. Throws a CONFLICT error when the action makes no sense in the VM's current
     * state (for example rebooting a stopped VM). Actions that are already in effect are accepted and change nothing
     * but the generation, so that retries are harmless.
     */
    public static Vm apply(Vm vm, VmAction action, Instant now) {
        if (vm.desiredState() == DesiredState.DELETED && action != VmAction.DELETE) {
            throw VireoException.conflict("VM '" + vm.name() + "' is being deleted");
        }
        return switch (action) {
            case START -> start(vm, now);
            case STOP -> stop(vm, now);
            case REBOOT -> reboot(vm, now);
            case DELETE -> delete(vm, now);
            case PAUSE -> pause(vm, now);
            case RESUME -> resume(vm, now);
        };
    }

    private static Vm start(Vm vm, Instant now) {
        if (pausedOrPausing(vm)) {
            throw VireoException.conflict("VM '" + vm.name() + "' is paused; resume it instead");
        }
        Vm started = vm.withSpec(DesiredState.RUNNING, vm.rebootCount(), now);
        if (vm.hostId() == null && vm.state() == VmState.ERROR) {
            // Placement failed earlier: starting again asks the scheduler once more.
            return started.withStatus(VmState.PENDING, null, vm.observedGeneration(), null, now);
        }
        return started;
    }

    private static Vm stop(Vm vm, Instant now) {
        if (vm.hostId() == null) {
            throw VireoException.conflict("VM '" + vm.name() + "' has no host yet (state " + vm.state() + ")");
        }
        return vm.withSpec(DesiredState.STOPPED, vm.rebootCount(), now);
    }

    private static Vm reboot(Vm vm, Instant now) {
        if (pausedOrPausing(vm)) {
            throw VireoException.conflict("VM '" + vm.name() + "' is paused; resume it first");
        }
        if (vm.desiredState() != DesiredState.RUNNING
                || (vm.state() != VmState.RUNNING && vm.state() != VmState.REBOOTING)) {
            throw VireoException.conflict("VM '" + vm.name() + "' is not running (state " + vm.state() + ")");
        }
        return vm.withSpec(DesiredState.RUNNING, vm.rebootCount() + 1, now);
    }

    private static Vm pause(Vm vm, Instant now) {
        boolean running = vm.desiredState() == DesiredState.RUNNING
                && vm.hostId() != null
                && (vm.state() == VmState.RUNNING || vm.state() == VmState.PAUSED);
        if (vm.desiredState() != DesiredState.PAUSED && !running) {
            throw VireoException.conflict("VM '" + vm.name() + "' is not running (state " + vm.state()
                    + "); only a running VM can be paused");
        }
        return vm.withSpec(DesiredState.PAUSED, vm.rebootCount(), now);
    }

    private static Vm resume(Vm vm, Instant now) {
        if (vm.desiredState() != DesiredState.PAUSED && vm.desiredState() != DesiredState.RUNNING) {
            throw VireoException.conflict(
                    "VM '" + vm.name() + "' is not paused (state " + vm.state() + "); start it instead");
        }
        return vm.withSpec(DesiredState.RUNNING, vm.rebootCount(), now);
    }

    /** Desired PAUSED and the guest's process is up (paused, or about to be). */
    private static boolean pausedOrPausing(Vm vm) {
        return vm.desiredState() == DesiredState.PAUSED
                && (vm.state() == VmState.PAUSED || vm.state() == VmState.RUNNING);
    }

    private static Vm delete(Vm vm, Instant now) {
        Vm deleted = vm.withSpec(DesiredState.DELETED, vm.rebootCount(), now);
        if (vm.hostId() == null) {
            return deleted.withStatus(VmState.DELETED, null, deleted.generation(), null, now);
        }
        return deleted.withStatus(VmState.DELETING, null, vm.observedGeneration(), vm.startedAt(), now);
    }

    /**
     * Derives the observable state. {@code observed} is the agent's latest report for this VM, or null when the host's
     * agent has not reported it yet. A report from an older placement epoch must be filtered out by the caller.
     */
    public static Status derive(Vm vm, @Nullable ObservedVm observed) {
        if (vm.desiredState() == DesiredState.DELETED) {
            if (vm.hostId() == null || (observed != null && observed.power() == ObservedPower.ABSENT)) {
                return new Status(VmState.DELETED, null);
            }
            return new Status(VmState.DELETING, null);
        }
        if (vm.hostId() == null) {
            return vm.state() == VmState.ERROR
                    ? new Status(VmState.ERROR, vm.stateReason())
                    : new Status(VmState.PENDING, null);
        }
        if (observed == null) {
            return vm.state() == VmState.PENDING || vm.state() == VmState.SCHEDULED
                    ? new Status(VmState.SCHEDULED, null)
                    : new Status(vm.state(), vm.stateReason());
        }
        if (observed.power() == ObservedPower.FAILED) {
            return new Status(VmState.ERROR, observed.message().isEmpty() ? "hypervisor failure" : observed.message());
        }
        return switch (vm.desiredState()) {
            case RUNNING -> deriveRunning(vm, observed);
            case PAUSED -> derivePaused(observed);
            case STOPPED, DELETED -> deriveStopped(observed);
        };
    }

    /** Why a VM asked to be paused shows STOPPED: its guest is gone, and the agent does not boot it only to pause it. */
    public static final String PAUSED_GUEST_ENDED =
            "the guest ended while paused (its host restarted or its process ended); start the VM to boot it again";

    /**
     * Until the agent has paused it, a running VM shows RUNNING; a paused VM whose process ended shows STOPPED, saying
     * why it is not paused.
     */
    private static Status derivePaused(ObservedVm observed) {
        return switch (observed.power()) {
            case PAUSED -> new Status(VmState.PAUSED, null);
            case RUNNING -> new Status(VmState.RUNNING, null);
            case CREATING -> new Status(VmState.STARTING, null);
            case STOPPED, ABSENT -> new Status(VmState.STOPPED, PAUSED_GUEST_ENDED);
            case FAILED -> throw new IllegalStateException("handled above");
        };
    }

    private static Status deriveRunning(Vm vm, ObservedVm observed) {
        return switch (observed.power()) {
            case RUNNING ->
                observed.rebootCount() < vm.rebootCount()
                        ? new Status(VmState.REBOOTING, null)
                        : new Status(VmState.RUNNING, null);
            case PAUSED -> new Status(VmState.PAUSED, null);
            case CREATING, STOPPED, ABSENT -> new Status(VmState.STARTING, null);
            case FAILED -> throw new IllegalStateException("handled above");
        };
    }

    private static Status deriveStopped(ObservedVm observed) {
        return switch (observed.power()) {
            case RUNNING, PAUSED, CREATING -> new Status(VmState.STOPPING, null);
            case STOPPED, ABSENT -> new Status(VmState.STOPPED, null);
            case FAILED -> throw new IllegalStateException("handled above");
        };
    }
}
