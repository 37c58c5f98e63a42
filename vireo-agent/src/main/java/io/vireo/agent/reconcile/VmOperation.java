package io.vireo.agent.reconcile;

import static java.util.Objects.requireNonNull;

import io.vireo.model.DesiredVm;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One step for one VM, handed from the loop to an operation thread.
 *
 * @param desired the desired entry the step serves ({@code null} for a removed VM)
 * @param before the bookkeeping as persisted when the step starts
 * @param after the bookkeeping to persist once the step has succeeded ({@code null}: remove the file)
 */
record VmOperation(
        UUID vmId,
        VmAction action,
        @Nullable DesiredVm desired,
        @Nullable VmBookkeeping before,
        @Nullable VmBookkeeping after) {
    VmOperation {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(action, "action is null");
        if (action == VmAction.CREATE && desired == null) {
            throw new IllegalArgumentException("creating VM " + vmId + " needs its desired entry");
        }
    }
}
