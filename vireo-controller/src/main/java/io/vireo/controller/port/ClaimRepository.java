package io.vireo.controller.port;

import io.vireo.model.Resources;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The one claim path. Every placement (create now; migrate, evacuate, HA restart, rebalance and autoscale later)
 * claims resources here, in one transaction, conditional on the host's resource generation: a lost race is a
 * {@link ClaimOutcome#HOST_CHANGED} to re-plan from a fresh snapshot, never an over-allocation.
 */
public interface ClaimRepository {
    /**
     * Atomically: checks the host's resource generation equals {@code expectedHostGeneration} and that the request
     * fits its free capacity (within the host's effective capacity, {@code floor((total - reserved) * ratio)} per class:
     * {@link io.vireo.model.CapacityPolicy}); checks the VM is unplaced and not being deleted; checks the hard rule of
     * the VM's server group against the group's members as committed, each where it is and where its migration in
     * flight goes (the group is locked for the transaction, so two claims of one group never both pass on stale
     * counts); adds the allocation, bumps the host's generation, and sets the VM's
     * host, epoch ({@code previous epoch + 1}) and state SCHEDULED.
     */
    ClaimOutcome claim(UUID vmId, UUID hostId, long expectedHostGeneration, Resources resources, Instant now);

    /**
     * Claims every member of a gang or none, in one transaction: for each host, once, the conditional write of
     * {@link #claim} with the sum of the members placed on it (all of them expect the same generation; the generation
     * goes up by one); every VM unplaced, PENDING and not being deleted; the hard rule of the members' server group
     * checked with the gang's own members counted. Returns {@link ClaimOutcome#CLAIMED} or the first reason nothing was
     * claimed ({@link ClaimOutcome#VM_CHANGED} when any member cannot be claimed).
     */
    ClaimOutcome claimGang(List<GangPlacement> members, Instant now);

    /**
     * Atomically: releases the VM's allocation (if any), bumps its host's generation and marks the VM DELETED; deletes
     * the volumes attached to it with delete-on-termination, and detaches the others, recording the VM's host as the
     * place their data stays. Idempotent.
     */
    void releaseAndMarkDeleted(UUID vmId, Instant now);

    /** Outcomes of {@link #claim}. */
    enum ClaimOutcome {
        CLAIMED,
        /** The host's generation moved or the request no longer fits: re-plan. */
        HOST_CHANGED,
        /** The VM is already placed, deleted or being deleted: nothing to do. */
        VM_CHANGED,
        /**
         * The host would break the hard rule of the VM's server group (anti-affinity: it holds {@code maxPerHost}
         * members already; affinity: members run elsewhere): re-plan with the group's current members.
         */
        GROUP_RULE_BROKEN
    }

    /** One member of a gang claim: the VM, the host the scheduler chose and the generation it saw, the demand. */
    record GangPlacement(UUID vmId, UUID hostId, long expectedHostGeneration, Resources resources) {
        public GangPlacement {
            java.util.Objects.requireNonNull(vmId, "vmId is null");
            java.util.Objects.requireNonNull(hostId, "hostId is null");
            java.util.Objects.requireNonNull(resources, "resources is null");
        }
    }
}
