package io.vireo.agent.reconcile;

/** The next step the reconciler takes for one VM; every step but {@link #NONE} is one operation off the loop. */
enum VmAction {
    /** Converged, or not the agent's business: nothing to do. */
    NONE,
    CREATE,
    START,
    STOP,
    REBOOT,
    PAUSE,
    RESUME,
    DELETE,
    /** Look at the VM again: it is booting. */
    POLL,
    /** Only persist the bookkeeping (the VM already matches the new generation). */
    RECORD,
    /** Only remove the bookkeeping file: the VM is gone and no longer desired. */
    FORGET;

    /** Whether the step may make a guest run: what a fenced host must not do. */
    boolean starts() {
        return this == CREATE || this == START || this == RESUME || this == REBOOT;
    }
}
