package io.vireo.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * The observable lifecycle state of a VM. Derived by {@link VmLifecycle} from the desired state, the placement and what
 * the host's agent reports; never set directly by a user.
 */
public enum VmState {
    /** Accepted, waiting for a host. */
    PENDING,
    /** A host is claimed; its agent has not yet reported the VM. */
    SCHEDULED,
    STARTING,
    RUNNING,
    /** Suspended by the hypervisor (paused). */
    PAUSED,
    STOPPING,
    STOPPED,
    REBOOTING,
    DELETING,
    /** Gone: resources released. Terminal. */
    DELETED,
    /** Cannot make progress without a user action; the reason says why. */
    ERROR;

    private static final Set<VmState> SETTLED = EnumSet.of(RUNNING, PAUSED, STOPPED, DELETED, ERROR);

    /** A state in which nothing more happens without a new user action. */
    public boolean settled() {
        return SETTLED.contains(this);
    }
}
