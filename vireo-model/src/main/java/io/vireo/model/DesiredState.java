package io.vireo.model;

/** What the user wants of a VM: the spec side of reconciliation. */
public enum DesiredState {
    RUNNING,
    STOPPED,
    DELETED,
    /** Defined and started, its vCPUs halted by the hypervisor: memory stays allocated, the guest does not run. */
    PAUSED
}
