package io.vireo.agent.reconcile;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The next step for one VM and the bookkeeping that holds once it has succeeded ({@code null}: remove the file).
 *
 * @param action what to do
 * @param bookkeepingAfter the bookkeeping to persist after the action succeeds, or {@code null} to forget the VM
 */
record VmPlan(VmAction action, @Nullable VmBookkeeping bookkeepingAfter) {
    static final VmPlan NOTHING = new VmPlan(VmAction.NONE, null);

    VmPlan {
        requireNonNull(action, "action is null");
    }
}
