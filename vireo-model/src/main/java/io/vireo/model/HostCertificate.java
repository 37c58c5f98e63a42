package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A certificate the CA issued to a host's agent, as recorded: the server accepts an agent's connection only with a
 * recorded, unrevoked certificate of a host that exists.
 *
 * @param serial the certificate's serial number, lowercase hex
 * @param revokedAt when it was revoked (its host deleted or re-enrolled), or null
 */
public record HostCertificate(
        String serial,
        UUID hostId,
        Instant issuedAt,
        Instant notAfter,
        @Nullable Instant revokedAt) {
    public HostCertificate {
        requireNonNull(serial, "serial is null");
        requireNonNull(hostId, "hostId is null");
        requireNonNull(issuedAt, "issuedAt is null");
        requireNonNull(notAfter, "notAfter is null");
        if (serial.isEmpty() || serial.length() > 64) {
            throw new IllegalArgumentException("a serial has 1 to 64 hex digits");
        }
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
