package io.vireo.model;

/** What an agent reports of one VM on its host. */
public enum ObservedPower {
    /** Being created or booted by the driver. */
    CREATING,
    RUNNING,
    PAUSED,
    /** Defined on the host (disks kept), not running. */
    STOPPED,
    /** Not defined on the host at all. */
    ABSENT,
    /** The driver failed to create or start it; the message says why. */
    FAILED
}
