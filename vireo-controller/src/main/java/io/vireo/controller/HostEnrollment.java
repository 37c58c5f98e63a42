package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.IdGenerator;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.port.AgentCredentialRepository;
import io.vireo.controller.port.HostRepository;
import io.vireo.model.AuditRecord;
import io.vireo.model.Host;
import io.vireo.model.HostCertificate;
import io.vireo.model.JoinToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Join tokens and the rules of enrollment: which host id an agent presenting a token gets, and whether a certificate
 * presented later still speaks for its host. Signing is not done here (the server's CA does it); every refusal is
 * recorded as a {@link SecurityEvent} and in the audit log, as are enrollments and the certificates issued.
 *
 * <p>Rules: a token is used once, before it expires. A token made for an existing host ({@code --host}) re-enrolls
 * that host under its own name, and the certificates issued before are revoked; any other token enrolls a new host
 * under a name no host has, with a new id. A certificate is accepted while it is recorded, unrevoked, and its host
 * id is the one it names.
 *
 * <p>Thread-safe: the state is in the repository, whose redemption is atomic.
 */
public final class HostEnrollment {
    /** The nil id names the target of a refusal that has none (an unknown token). */
    public static final UUID NOBODY = new UUID(0, 0);

    private static final int SECRET_BYTES = 32;

    /** The audit log's names for what enrollment records. */
    private static final String ENROLL = "agent.enroll";

    private static final String JOIN_TOKEN = "join-token";
    private static final String HOST = "host";
    private static final String CERTIFICATE_AUTHORITY = "certificate-authority";

    private final AgentCredentialRepository credentials;
    private final HostRepository hosts;
    private final EventLog events;
    private final AuditLog audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final SecureRandom random;
    private final HostEnrollmentSettings settings;
    private final String caFingerprintHex;

    /** A token just made: its text (shown once, never stored) and its record. */
    public record IssuedJoinToken(String text, JoinToken token) {
        public IssuedJoinToken {
            requireNonNull(text, "text is null");
            requireNonNull(token, "token is null");
        }

        @Override
        public String toString() {
            return "IssuedJoinToken[text=(hidden), token=" + token + "]";
        }
    }

    /** What became of a join token presented by an agent. */
    public sealed interface Redemption {
        /** The agent may have a certificate for {@code hostId}. */
        record Accepted(UUID hostId, String hostName, JoinToken token) implements Redemption {}

        /** Refused, and recorded; {@code reason} may be told to the agent. */
        record Refused(String reason) implements Redemption {}
    }

    public HostEnrollment(
            AgentCredentialRepository credentials,
            HostRepository hosts,
            EventLog events,
            AuditLog audit,
            IdGenerator ids,
            Clock clock,
            SecureRandom random,
            HostEnrollmentSettings settings,
            String caFingerprintHex) {
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.hosts = requireNonNull(hosts, "hosts is null");
        this.events = requireNonNull(events, "events is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.ids = requireNonNull(ids, "ids is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.caFingerprintHex = requireNonNull(caFingerprintHex, "caFingerprintHex is null");
    }

    public HostEnrollmentSettings settings() {
        return settings;
    }

    /** The fingerprint (SHA-256, hex) of the CA agents must find at the server; it is part of every token's text. */
    public String caFingerprintHex() {
        return caFingerprintHex;
    }

    /**
     * A new join token, usable once within {@code validity} (the default if null), for a new host or, with
     * {@code hostId}, to re-enroll that existing host. INVALID_ARGUMENT for a validity out of range, NOT_FOUND for an
     * unknown host, CONFLICT when {@link HostEnrollmentSettings#maxUsableTokens} are usable already.
     */
    public IssuedJoinToken createJoinToken(@Nullable UUID hostId, @Nullable Duration validity) {
        Duration lifetime = validity == null ? settings.defaultTokenValidity() : validity;
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(settings.maxTokenValidity()) > 0) {
            throw VireoException.invalid(
                    "expires", "must be positive and at most " + settings.maxTokenValidity() + ", not " + lifetime);
        }
        if (hostId != null && hosts.find(hostId).isEmpty()) {
            throw VireoException.notFound("host", hostId.toString());
        }
        Instant now = clock.instant();
        if (credentials.listUsableJoinTokens(now, settings.maxUsableTokens()).size() >= settings.maxUsableTokens()) {
            throw VireoException.conflict(
                    settings.maxUsableTokens() + " join tokens are usable already; use them or let them expire first");
        }
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        JoinToken token = JoinToken.unused(ids.next(), sha256(secret), now, now.plus(lifetime), hostId);
        credentials.addJoinToken(token);
        return new IssuedJoinToken(JoinToken.text(caFingerprintHex, secret), token);
    }

    /**
     * Exchanges the token whose secret is {@code secret} for the right to a certificate of one host, for an agent
     * enrolling as {@code hostName} from {@code source}. A refusal is recorded before it is returned.
     */
    public Redemption redeem(String secret, String hostName, @Nullable String source) {
        String hash = sha256(secret);
        Instant now = clock.instant();
        JoinToken token = credentials.findJoinToken(hash).orElse(null);
        if (token == null) {
            return refuse("anonymous", null, hostName, "unknown join token", source);
        }
        String actor = "join-token:" + token.id();
        if (token.used()) {
            return refuse(
                    actor,
                    token.id(),
                    hostName,
                    "join token already used (by host " + token.usedByName() + ", " + token.usedByHostId() + ", at "
                            + token.usedAt() + ")",
                    source);
        }
        if (token.expiredAt(now)) {
            return refuse(actor, token.id(), hostName, "join token expired at " + token.expiresAt(), source);
        }
        if (!Names.isValid(hostName)) {
            return refuse(actor, token.id(), hostName, "host name must be a DNS label of a-z, 0-9 and '-'", source);
        }
        Optional<String> conflict = nameConflict(token, hostName);
        if (conflict.isPresent()) {
            return refuse(actor, token.id(), hostName, conflict.get(), source);
        }
        UUID hostId = token.hostId() != null ? token.hostId() : ids.next();
        Optional<JoinToken> redeemed = credentials.redeemJoinToken(hash, hostId, hostName, now);
        if (redeemed.isEmpty()) {
            return refuse(actor, token.id(), hostName, "join token already used", source);
        }
        events.security(new SecurityEvent(
                actor, "agent.enroll", "host", hostId, hostName, SecurityEvent.ACCEPTED, "enrolled", source));
        audit.record(AuditRecord.builder(AuditRecord.Actor.host(hostId, hostName), ENROLL, AuditRecord.Outcome.OK)
                .target(JOIN_TOKEN, token.id(), null)
                .source(source)
                .detail((token.hostId() == null ? "enrolled as a new host " : "re-enrolled host ") + hostName + " ("
                        + hostId + ")"));
        return new Redemption.Accepted(hostId, hostName, redeemed.get());
    }

    /** Why {@code token} cannot enroll a host named {@code hostName}, if it cannot. */
    private Optional<String> nameConflict(JoinToken token, String hostName) {
        UUID bound = token.hostId();
        if (bound != null) {
            Host host = hosts.find(bound).orElse(null);
            if (host == null) {
                return Optional.of("the join token was made for host " + bound + ", which no longer exists");
            }
            return host.name().equals(hostName)
                    ? Optional.empty()
                    : Optional.of("the join token was made for host " + host.name() + ", not " + hostName);
        }
        return hosts.findByName(hostName)
                .map(host -> "host name " + hostName + " belongs to host " + host.id()
                        + "; re-enroll it with a join token made for it (vireo host join-token create --host "
                        + hostName + ")");
    }

    /**
     * Records a certificate just issued after {@code redemption}; a re-enrolled host's earlier certificates are
     * revoked.
     */
    public void recordIssued(HostCertificate certificate, boolean reenrolled) {
        credentials.recordCertificate(certificate);
        int revoked = reenrolled
                ? credentials.revokeCertificates(certificate.hostId(), certificate.serial(), clock.instant())
                : 0;
        auditCertificate(
                "system.issueCertificate",
                certificate,
                reenrolled ? "; " + revoked + " earlier certificates revoked" : "");
    }

    /** Records a certificate renewed over a host's stream; the earlier ones stay valid until they expire. */
    public void recordRenewed(HostCertificate certificate) {
        credentials.recordCertificate(certificate);
        auditCertificate("system.renewCertificate", certificate, "");
    }

    private void auditCertificate(String action, HostCertificate certificate, String more) {
        audit.system(
                CERTIFICATE_AUTHORITY,
                action,
                AuditRecord.Outcome.OK,
                null,
                AuditRecord.Target.of(HOST, certificate.hostId(), hostName(certificate.hostId())),
                "certificate " + certificate.serial() + " valid until " + certificate.notAfter() + more,
                null);
    }

    /**
     * Why a certificate with {@code serial}, bound to {@code hostId}, no longer speaks for its host, if it does not:
     * not recorded, revoked, or recorded for another host.
     */
    public Optional<String> certificateRefusal(String serial, UUID hostId) {
        HostCertificate recorded = credentials.findCertificate(serial).orElse(null);
        if (recorded == null) {
            return Optional.of("certificate " + serial + " was not issued by this cloud's CA records");
        }
        if (!recorded.hostId().equals(hostId)) {
            return Optional.of("certificate " + serial + " was issued to host " + recorded.hostId());
        }
        if (recorded.revoked()) {
            return Optional.of("certificate " + serial + " was revoked at " + recorded.revokedAt());
        }
        return Optional.empty();
    }

    /** Revokes every certificate of the host (it is being deleted); returns how many. */
    public int revokeHost(UUID hostId) {
        int revoked = credentials.revokeCertificates(hostId, "", clock.instant());
        audit.system(
                CERTIFICATE_AUTHORITY,
                "system.revokeCertificates",
                AuditRecord.Outcome.OK,
                null,
                AuditRecord.Target.of(HOST, hostId, hostName(hostId)),
                revoked + " certificates revoked",
                null);
        return revoked;
    }

    /** Records a refusal of an agent that spoke for a host its certificate is not bound to, or was not admitted. */
    public void refuseAgent(
            UUID certificateHostId,
            String action,
            UUID targetId,
            String targetName,
            String reason,
            @Nullable String source) {
        events.security(SecurityEvent.refused(
                "host:" + certificateHostId, action, "host", targetId, targetName, reason, source));
        String certificateHost = hostName(certificateHostId);
        audit.record(AuditRecord.builder(
                        AuditRecord.Actor.host(
                                certificateHostId,
                                certificateHost == null ? certificateHostId.toString() : certificateHost),
                        action,
                        AuditRecord.Outcome.DENIED)
                .target(HOST, targetId.equals(NOBODY) ? null : targetId, Names.isValid(targetName) ? targetName : null)
                .source(source)
                .detail(reason));
    }

    /**
     * Records the refusal of a join token ({@code tokenId}, or null for one this cloud never made) presented by an
     * agent enrolling as {@code hostName}.
     */
    private Redemption refuse(
            String actor, @Nullable UUID tokenId, String hostName, String reason, @Nullable String source) {
        events.security(SecurityEvent.refused(
                actor, "agent.enroll", "join-token", tokenId == null ? NOBODY : tokenId, hostName, reason, source));
        AuditRecord.Actor agent =
                Names.isValid(hostName) ? AuditRecord.Actor.host(null, hostName) : AuditRecord.Actor.ANONYMOUS;
        audit.record(AuditRecord.builder(agent, ENROLL, AuditRecord.Outcome.DENIED)
                .target(JOIN_TOKEN, tokenId, null)
                .source(source)
                .detail(reason));
        return new Redemption.Refused(reason);
    }

    private @Nullable String hostName(UUID hostId) {
        return hosts.find(hostId).map(Host::name).orElse(null);
    }

    /** The SHA-256 of a token secret as stored: lowercase hex. */
    public static String sha256(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
