package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

import io.vireo.model.DesiredVm;
import java.util.UUID;

/**
 * The controller's channel to agents for live migration. Sends are fire-and-forget like {@link AgentGateway}'s: a
 * message to a host whose agent is not connected is dropped, and the migration controller's timeout settles it.
 */
public interface MigrationGateway {
    // Each send carries the migration's correlation id (empty if none): the agent logs the steps under it.

    /**
     * Asks the destination to prepare an incoming QEMU for {@code vm}, which comes from host {@code sourceHostId} (the
     * only host the destination's streams admit, ADR 20).
     */
    void sendPrepare(UUID hostId, UUID migrationId, DesiredVm vm, UUID sourceHostId, String correlationId);

    /**
     * Asks the source to send VM {@code vmId}, placed there at epoch {@code sourceEpoch}, to {@code target} of host
     * {@code destinationHostId} (the only host whose certificate the source accepts, ADR 20).
     */
    void sendStart(
            UUID hostId,
            UUID migrationId,
            UUID vmId,
            long sourceEpoch,
            Target target,
            UUID destinationHostId,
            String correlationId);

    /** Tells a host to drop its part of the migration (the destination removes its half-made VM). */
    void sendAbort(UUID hostId, UUID migrationId, UUID vmId, String reason, String correlationId);

    /** Where a prepared destination listens, as it reported it. */
    record Target(String host, int migrationPort, int diskPort) {
        public Target {
            requireNonNull(host, "host is null");
        }
    }
}
