package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * An operator's request to empty a host: while it stands, the server live-migrates the host's running VMs away, a few
 * at a time, and ends the drain when no VM is left on the host.
 *
 * @param correlationId the request's, carried by every migration and event of the drain
 */
public record HostDrain(UUID hostId, String correlationId, Instant requestedAt) {
    public HostDrain {
        requireNonNull(hostId, "hostId is null");
        requireNonNull(correlationId, "correlationId is null");
        requireNonNull(requestedAt, "requestedAt is null");
    }
}
