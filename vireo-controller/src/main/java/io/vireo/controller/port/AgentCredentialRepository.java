package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

import io.vireo.model.HostCertificate;
import io.vireo.model.JoinToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What lets agents prove which host they are: the certificate authority (one, shared by every replica), join tokens
 * (stored by the hash of their secret) and the certificates issued to hosts.
 */
public interface AgentCredentialRepository {
    /** The CA as stored: its certificate and its private key sealed under a key that is not in the store. */
    record StoredAuthority(byte[] certificateDer, byte[] sealedKey, Instant createdAt) {
        public StoredAuthority {
            certificateDer = certificateDer.clone();
            sealedKey = sealedKey.clone();
            requireNonNull(createdAt, "createdAt is null");
        }

        @Override
        public byte[] certificateDer() {
            return certificateDer.clone();
        }

        @Override
        public byte[] sealedKey() {
            return sealedKey.clone();
        }
    }

    Optional<StoredAuthority> authority();

    /**
     * Stores {@code candidate} unless a CA is stored already; returns the CA stored now, so that replicas starting
     * together all use the first one.
     */
    StoredAuthority storeAuthorityIfAbsent(StoredAuthority candidate);

    void addJoinToken(JoinToken token);

    Optional<JoinToken> findJoinToken(String secretSha256);

    /**
     * Atomically marks the token used by host {@code hostId} named {@code hostName}, if it is unused and unexpired at
     * {@code now}; returns the used token, or empty if it was not (unknown, used or expired: two agents presenting one
     * token at once, one wins).
     */
    Optional<JoinToken> redeemJoinToken(String secretSha256, UUID hostId, String hostName, Instant now);

    /** Join tokens not yet used nor expired at {@code now}, newest first, at most {@code limit}. */
    List<JoinToken> listUsableJoinTokens(Instant now, int limit);

    void recordCertificate(HostCertificate certificate);

    Optional<HostCertificate> findCertificate(String serial);

    /** Revokes every unrevoked certificate of the host except {@code keptSerial} (may be empty); returns how many. */
    int revokeCertificates(UUID hostId, String keptSerial, Instant now);
}
