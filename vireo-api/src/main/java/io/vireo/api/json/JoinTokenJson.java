package io.vireo.api.json;

import io.vireo.controller.HostEnrollment;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("A join token just made. Its text is shown this once: only a hash of its secret is kept.")
public record JoinTokenJson(
        @Doc("The token's id (for the records; not a credential).")
        UUID id,

        @Doc("The token: vireo-join-v1.<CA fingerprint>.<secret>. Give it to `vireo agent --join-token`.")
        String token,

        @Doc("The SHA-256 fingerprint of the CA the agent will check the server against (hex).")
        String caFingerprint,

        Instant createdAt,
        Instant expiresAt,

        @Doc("The host it re-enrolls, or null for a new host.") @Nullable
        UUID hostId) {
    public static JoinTokenJson of(HostEnrollment.IssuedJoinToken issued, String caFingerprint) {
        return new JoinTokenJson(
                issued.token().id(),
                issued.text(),
                caFingerprint,
                issued.token().createdAt(),
                issued.token().expiresAt(),
                issued.token().hostId());
    }
}
