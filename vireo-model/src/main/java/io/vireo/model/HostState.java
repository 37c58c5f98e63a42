package io.vireo.model;

/**
 * Administrative and liveness state of a host, as the control plane sees it.
 *
 * <p>A host whose fence guard holds a lease goes UP → SUSPECT (renewals missed) → FENCED (its guard has ended its
 * instances, or an operator confirmed it is off) and comes back UP only by registering again. A host without a guard
 * goes DOWN when its agent falls silent: nobody can tell its VMs stopped, so nothing is restarted until an operator
 * evacuates it.
 */
public enum HostState {
    /** Connected and heartbeating; accepts new VMs. */
    UP,
    /** Its agent is silent; its VMs may still run. Not a reason to restart anything. */
    DOWN,
    /** Taken out of placement by an operator; its VMs keep running. */
    MAINTENANCE,
    /** Its fence guard's lease renewals stopped arriving; its VMs may still run. */
    SUSPECT,
    /** Declared dead: its instances were ended (or it is off); its VMs are restarted elsewhere by their HA policy. */
    FENCED;

    public boolean schedulable() {
        return this == UP;
    }
}
