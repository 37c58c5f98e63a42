package io.vireo.agent.hypervisor;

import io.vireo.model.DesiredVm;
import java.util.UUID;

/**
 * A driver that can move a running VM to another host without stopping it. The destination prepares first
 * ({@link #prepareIncoming}), then the source sends the VM's memory and disk ({@link #migrateOut}). A failure on
 * either side leaves the VM running on the source; the destination's half-made VM is removed with
 * {@link #discardIncoming}.
 *
 * <p>While a VM migrates out, the source shows it {@code CREATING} with a message; once it has left, the source keeps
 * a marker so that the VM shows {@code CREATING} ("migrated to another host") and cannot be created again until
 * {@link HypervisorDriver#delete} removes the marker. The destination shows the incoming VM {@code CREATING} until it
 * runs.
 */
public interface LiveMigration {
    /** The message of a VM that left for another host and whose marker is still here. */
    String MIGRATED_MESSAGE = "migrated to another host";

    /**
     * Defines VM {@code vm} (empty disks: an overlay over the same image, blank data volumes; its cloud-init seed
     * written again from the spec) and starts a QEMU waiting for the incoming migration.
     * Returns where the source must send to, and a future that completes when the VM runs here (or fails if the
     * migration fails, the process dies or nothing arrives in time).
     *
     * @param sourceHostId the host the VM comes from: the only one whose certificate the streams admit (ADR 20)
     * @throws HypervisorException if the VM exists here already or cannot be prepared (nothing is left behind)
     */
    IncomingMigration prepareIncoming(DesiredVm vm, UUID sourceHostId);

    /**
     * Removes VM {@code vmId} that {@link #prepareIncoming} prepared and that has not arrived (the migration failed or
     * was aborted): its process and every file made for it, volume files included whatever their attachment says.
     * Does nothing for a VM that has arrived or was not prepared here. Arrival and discarding exclude each other: once
     * this returns true, the VM can no longer arrive here.
     *
     * @return whether a VM waiting here was removed (false: it had arrived, or was not prepared here)
     */
    boolean discardIncoming(UUID vmId);

    /**
     * Sends running VM {@code vmId} to {@code target}, blocking until it has arrived or failed. On success the VM's
     * process here has ended and its files are gone (but for the marker); on failure the VM runs here as before.
     *
     * @param destinationHostId the host {@code target} belongs to: its certificate is the only one the streams accept
     * @throws HypervisorException if the migration failed, with why
     */
    MigrationStats migrateOut(UUID vmId, MigrationEndpoint target, UUID destinationHostId);
}
