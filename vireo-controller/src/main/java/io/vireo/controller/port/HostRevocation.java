package io.vireo.controller.port;

import java.util.UUID;

/**
 * Takes away a host's agent the right to speak for it (the host was deleted): its certificates are revoked and its
 * stream is ended at once, on this server replica and, through the database, on every other.
 */
@FunctionalInterface
public interface HostRevocation {
    /** Revokes every certificate of the host and ends its agent's stream; returns how many certificates were revoked. */
    int revoke(UUID hostId);
}
