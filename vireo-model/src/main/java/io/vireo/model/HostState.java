package io.vireo.model;

/** Administrative and liveness state of a host, as the control plane sees it. */
public enum HostState {
    /** Connected and heartbeating; accepts new VMs. */
    UP,
    /** Not heard from within the heartbeat timeout. */
    DOWN,
    /** Taken out of placement by an operator; its VMs keep running. */
    MAINTENANCE;

    public boolean schedulable() {
        return this == UP;
    }
}
