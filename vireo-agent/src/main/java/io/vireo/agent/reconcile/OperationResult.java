package io.vireo.agent.reconcile;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.DriverVm;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How one {@link VmOperation} ended.
 *
 * @param persisted the bookkeeping on disk now (whether or not the step succeeded)
 * @param failure why the step failed, or {@code null} if it succeeded
 * @param observationKnown whether the driver was asked for the VM afterwards
 * @param observed the VM as the driver showed it afterwards ({@code null}: absent, or not asked)
 */
record OperationResult(
        UUID vmId,
        VmAction action,
        @Nullable VmBookkeeping persisted,
        @Nullable String failure,
        boolean observationKnown,
        @Nullable DriverVm observed) {
    OperationResult {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(action, "action is null");
    }
}
