package io.vireo.model;

/** What the user wants of a VM: the spec side of reconciliation. */
public enum DesiredState {
    RUNNING,
    STOPPED,
    DELETED
}
