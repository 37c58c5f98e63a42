package io.vireo.controller.port;

import io.vireo.model.Migration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Live migrations, and the transactions that settle the resources a migration holds. A destination is claimed like any
 * placement, through {@link ClaimRepository#claim} with a {@link VmTransition.HoldForMigration}: a conditional write on
 * the host's resource generation, in the same transaction as the migration row. The VM then holds resources on both
 * hosts until {@link #complete} (the destination's hold becomes the VM's allocation, the source's is released, the VM
 * moves with the next epoch) or {@link #fail} (the hold is released), each one transaction.
 */
public interface MigrationRepository {
    /** The most VM ids {@link #listInFlightByVms} takes at once: the largest page of VMs the API lists. */
    int MAX_VM_IDS = 1000;

    /** PREPARING to MIGRATING; false if the migration is not PREPARING. */
    boolean markMigrating(UUID migrationId, Instant now);

    /**
     * Atomically, if the migration is in flight and its VM is still on the source at the source epoch: moves the VM's
     * allocation to the destination (releasing the source), moves the VM there with epoch + 1, and marks the migration
     * COMPLETED. Returns false, writing nothing, otherwise.
     */
    boolean complete(UUID migrationId, Instant now);

    /** Atomically, if the migration is in flight: releases the destination's hold and marks it FAILED with why. */
    boolean fail(UUID migrationId, String error, Instant now);

    /**
     * As {@link #fail}, and in the same transaction, if the VM is still on the source at the source epoch: raises its
     * epoch by one. For a migration whose source was told to send and whose destination can no longer hold the VM:
     * the source may have recorded that the VM left at the source epoch (and so refuses to run it at that epoch), but
     * the VM runs there or nowhere, and at the new epoch the source runs it again.
     */
    boolean failAndRenew(UUID migrationId, String error, Instant now);

    /** Records the source's figures (in any state: they may arrive after completion). */
    void recordFigures(UUID migrationId, Migration.Figures figures);

    Optional<Migration> find(UUID migrationId);

    /** The VM's migrations, newest first, at most {@code limit}. */
    List<Migration> listByVm(UUID vmId, int limit);

    /** Migrations that FAILED at or after {@code since}, latest first, at most {@code limit}: for alerts. */
    List<Migration> listFailedSince(Instant since, int limit);

    /** Every migration in flight, oldest first. */
    List<Migration> listInFlight();

    /**
     * The migrations in flight of these VMs (at most one per VM), in no particular order, read in one query: what a
     * page of VMs is in the middle of.
     *
     * @throws IllegalArgumentException if given more than {@link #MAX_VM_IDS} ids
     */
    List<Migration> listInFlightByVms(Collection<UUID> vmIds);
}
