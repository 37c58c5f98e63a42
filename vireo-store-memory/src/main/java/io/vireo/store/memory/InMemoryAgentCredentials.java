package io.vireo.store.memory;

import io.vireo.controller.port.AgentCredentialRepository;
import io.vireo.model.HostCertificate;
import io.vireo.model.JoinToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The CA, join tokens and host certificates in memory. Thread-safe: every call holds this object's lock. */
public final class InMemoryAgentCredentials implements AgentCredentialRepository {
    private @Nullable StoredAuthority authority;
    private final Map<String, JoinToken> tokens = new HashMap<>();
    private final Map<String, HostCertificate> certificates = new HashMap<>();

    @Override
    public synchronized Optional<StoredAuthority> authority() {
        return Optional.ofNullable(authority);
    }

    @Override
    public synchronized StoredAuthority storeAuthorityIfAbsent(StoredAuthority candidate) {
        StoredAuthority stored = authority;
        if (stored == null) {
            stored = candidate;
            authority = candidate;
        }
        return stored;
    }

    @Override
    public synchronized void addJoinToken(JoinToken token) {
        if (tokens.putIfAbsent(token.secretSha256(), token) != null) {
            throw new IllegalStateException("a join token with that secret exists");
        }
    }

    @Override
    public synchronized Optional<JoinToken> findJoinToken(String secretSha256) {
        return Optional.ofNullable(tokens.get(secretSha256));
    }

    @Override
    public synchronized Optional<JoinToken> redeemJoinToken(
            String secretSha256, UUID hostId, String hostName, Instant now) {
        JoinToken token = tokens.get(secretSha256);
        if (token == null || token.used() || token.expiredAt(now)) {
            return Optional.empty();
        }
        JoinToken used = new JoinToken(
                token.id(),
                token.secretSha256(),
                token.createdAt(),
                token.expiresAt(),
                token.hostId(),
                now,
                hostId,
                hostName);
        tokens.put(secretSha256, used);
        return Optional.of(used);
    }

    @Override
    public synchronized List<JoinToken> listUsableJoinTokens(Instant now, int limit) {
        List<JoinToken> usable = new ArrayList<>();
        for (JoinToken token : tokens.values()) {
            if (!token.used() && !token.expiredAt(now)) {
                usable.add(token);
            }
        }
        usable.sort(Comparator.comparing(JoinToken::createdAt).reversed());
        return List.copyOf(usable.subList(0, Math.min(limit, usable.size())));
    }

    @Override
    public synchronized void recordCertificate(HostCertificate certificate) {
        if (certificates.putIfAbsent(certificate.serial(), certificate) != null) {
            throw new IllegalStateException("certificate " + certificate.serial() + " is recorded already");
        }
    }

    @Override
    public synchronized Optional<HostCertificate> findCertificate(String serial) {
        return Optional.ofNullable(certificates.get(serial));
    }

    @Override
    public synchronized int revokeCertificates(UUID hostId, String keptSerial, Instant now) {
        int revoked = 0;
        for (HostCertificate certificate : List.copyOf(certificates.values())) {
            if (certificate.hostId().equals(hostId)
                    && !certificate.serial().equals(keptSerial)
                    && !certificate.revoked()) {
                certificates.put(
                        certificate.serial(),
                        new HostCertificate(
                                certificate.serial(),
                                certificate.hostId(),
                                certificate.issuedAt(),
                                certificate.notAfter(),
                                now));
                revoked++;
            }
        }
        return revoked;
    }
}
