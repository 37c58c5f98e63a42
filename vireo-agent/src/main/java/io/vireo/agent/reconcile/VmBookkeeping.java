package io.vireo.agent.reconcile;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * What the agent has applied to one VM, persisted in {@code <stateDir>/vms/<uuid>.json} so that a restarted agent
 * neither reboots a VM again nor recreates it. A file exists exactly for the VMs the agent manages (it created them, or
 * a desired set named them); only those are deleted when a full desired set leaves them out.
 *
 * @param generation the spec generation last applied
 * @param rebootCount the number of reboots carried out (or made unnecessary by a fresh boot)
 * @param epoch the highest placement epoch seen; desired entries with a lower epoch are ignored
 */
record VmBookkeeping(UUID vmId, long generation, long rebootCount, long epoch) {
    VmBookkeeping {
        requireNonNull(vmId, "vmId is null");
        if (generation < 0 || rebootCount < 0 || epoch < 0) {
            throw new IllegalArgumentException("bookkeeping of " + vmId + " must not be negative: generation "
                    + generation + ", reboot count " + rebootCount + ", epoch " + epoch);
        }
    }
}
