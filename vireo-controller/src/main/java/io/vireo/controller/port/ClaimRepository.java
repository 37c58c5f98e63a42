package io.vireo.controller.port;

import java.time.Instant;
import java.util.UUID;

/**
 * The one claim path. Every placement — a create, a gang, a migration's destination; evacuation, HA restart,
 * rebalance and autoscale later — claims resources here, through {@link #claim}, in one transaction conditional on each
 * host's resource generation: a lost race is a {@link ClaimResult.HostChanged} to re-plan from a fresh view, never an
 * over-allocation.
 */
public interface ClaimRepository {
    /**
     * Applies {@code request} in one transaction. For each unit — the whole request if it is all or nothing, else each
     * host on its own, in host id order — atomically:
     *
     * <ol>
     *   <li>each transition's precondition holds ({@link VmTransition}), else {@link ClaimResult.VmChanged};
     *   <li>each host exists, its resource generation is the one expected and its demand fits its free capacity
     *       (within its effective capacity, {@code floor((total - reserved) * ratio)} per class: {@link
     *       io.vireo.model.CapacityPolicy}), else {@link ClaimResult.HostChanged};
     *   <li>for each server group of the unit's VMs with a hard policy, {@link
     *       io.vireo.model.ServerGroup#hardRuleBrokenAt} is false for the unit's placements given the group's other
     *       live members as committed, each where it is and where its migration in flight goes (the groups are locked
     *       for the transaction, in id order, so two claims of one group never both pass on stale counts; a per-host
     *       unit counts what earlier units of the request placed), else {@link ClaimResult.GroupRuleBroken};
     *   <li>then each host's allocation grows by its demand and its generation by one, and each transition's effect is
     *       written.
     * </ol>
     *
     * <p>A refused unit changes nothing. Returns the hosts as written, so that callers never predict the store's
     * arithmetic.
     */
    ClaimResult claim(ClaimRequest request);

    /**
     * Atomically: releases the VM's allocation (if any), bumps its host's generation and marks the VM DELETED; deletes
     * the volumes attached to it with delete-on-termination, and detaches the others, recording the VM's host as the
     * place their data stays. Idempotent.
     *
     * <p>Refuses, changing nothing and returning false, while a live migration of the VM is in flight: its guest may
     * already run on the destination, whatever the source says, so the deletion is confirmed only once the migration
     * has ended (completed: by the destination; failed: by the source). Returns true otherwise.
     */
    boolean releaseAndMarkDeleted(UUID vmId, Instant now);

    /**
     * As {@link #releaseAndMarkDeleted(UUID, Instant)}, for a deletion that a host confirmed: only if the VM is still
     * placed on {@code hostId} at {@code epoch} (what the caller read before the host's report was judged); false,
     * changing nothing, otherwise. A migration that completed in between has moved the VM, and the source's "absent"
     * says nothing of the guest on the destination.
     */
    boolean releaseAndMarkDeleted(UUID vmId, UUID hostId, long epoch, Instant now);

    /**
     * For an HA restart, atomically: if the host is FENCED (checked under its lock, so a registration that brings it
     * back UP is either before, and this refuses, or after, and its desired set no longer has the VM), the VM is still
     * placed on {@code hostId} at {@code epoch}, is not DELETED and no live migration of it is in flight, releases its allocation there (the host's generation goes up), unplaces
     * it, raises its epoch (the fenced host's instance is stale everywhere, and no status derived from that host's
     * reports lands on it any more) and makes it PENDING with {@code reason}, so that placement claims a new host for
     * it through {@link #claim} (which raises the epoch again). Its volumes stay attached. Returns false, changing
     * nothing, otherwise.
     */
    boolean releaseForRestart(UUID vmId, UUID hostId, long epoch, String reason, Instant now);
}
