package io.vireo.agent.hypervisor;

import io.vireo.model.DesiredVm;
import java.util.UUID;

/**
 * A driver that can move a running VM to another host without stopping it. The destination prepares first
 * ({@link #prepareIncoming}), then the source sends the VM's memory and disk ({@link #migrateOut}). A failure on
 * either side leaves the VM running on the source; the destination's half-made VM is removed with
 * {@link HypervisorDriver#delete}.
 *
 * <p>While a VM migrates out, the source shows it {@code CREATING} with a message; once it has left, the source keeps
 * a marker so that the VM shows {@code CREATING} ("migrated to another host") and cannot be created again until
 * {@link HypervisorDriver#delete} removes the marker. The destination shows the incoming VM {@code CREATING} until it
 * runs.
 */
public interface LiveMigration {
    /**
     * Defines VM {@code vm} (an empty disk over the same image) and starts a QEMU waiting for the incoming migration.
     * Returns where the source must send to, and a future that completes when the VM runs here (or fails if the
     * migration fails, the process dies or nothing arrives in time).
     *
     * @throws HypervisorException if the VM exists here already or cannot be prepared (nothing is left behind)
     */
    IncomingMigration prepareIncoming(DesiredVm vm);

    /**
     * Sends running VM {@code vmId} to {@code target}, blocking until it has arrived or failed. On success the VM's
     * process here has ended and its files are gone (but for the marker); on failure the VM runs here as before.
     *
     * @throws HypervisorException if the migration failed, with why
     */
    MigrationStats migrateOut(UUID vmId, MigrationEndpoint target);
}
