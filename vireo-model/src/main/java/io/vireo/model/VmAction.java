package io.vireo.model;

/** A user's request to change a VM's desired state. */
public enum VmAction {
    START,
    STOP,
    REBOOT,
    DELETE,
    PAUSE,
    RESUME
}
