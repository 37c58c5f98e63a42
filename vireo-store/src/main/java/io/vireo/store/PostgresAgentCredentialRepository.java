package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.AgentCredentialRepository;
import io.vireo.model.HostCertificate;
import io.vireo.model.JoinToken;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The CA, join tokens and host certificates in tables {@code certificate_authority}, {@code host_join_tokens} and
 * {@code host_certificates} (V30). A join token is redeemed by one conditional update, so of two agents presenting it
 * at once exactly one wins. Thread-safe.
 */
final class PostgresAgentCredentialRepository implements AgentCredentialRepository {
    private static final String TOKEN_COLUMNS =
            "id, secret_sha256, created_at, expires_at, host_id, used_at, used_by_host_id, used_by_name";
    private static final String CERTIFICATE_COLUMNS = "serial, host_id, issued_at, not_after, revoked_at";

    private final Jdbc jdbc;

    PostgresAgentCredentialRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public Optional<StoredAuthority> authority() {
        return jdbc.queryOne(
                "SELECT certificate_der, sealed_key, created_at FROM certificate_authority",
                PostgresAgentCredentialRepository::authority);
    }

    @Override
    public StoredAuthority storeAuthorityIfAbsent(StoredAuthority candidate) {
        jdbc.update(
                "INSERT INTO certificate_authority (certificate_der, sealed_key, created_at) VALUES (?, ?, ?)"
                        + " ON CONFLICT (singleton) DO NOTHING",
                candidate.certificateDer(),
                candidate.sealedKey(),
                candidate.createdAt());
        return authority().orElseThrow(() -> new IllegalStateException("the CA row vanished"));
    }

    @Override
    public void addJoinToken(JoinToken token) {
        jdbc.update(
                "INSERT INTO host_join_tokens (id, secret_sha256, created_at, expires_at, host_id)"
                        + " VALUES (?, ?, ?, ?, ?::uuid)",
                token.id(),
                token.secretSha256(),
                token.createdAt(),
                token.expiresAt(),
                token.hostId());
    }

    @Override
    public Optional<JoinToken> findJoinToken(String secretSha256) {
        return jdbc.queryOne(
                "SELECT " + TOKEN_COLUMNS + " FROM host_join_tokens WHERE secret_sha256 = ?",
                PostgresAgentCredentialRepository::token,
                secretSha256);
    }

    @Override
    public Optional<JoinToken> redeemJoinToken(String secretSha256, UUID hostId, String hostName, Instant now) {
        return jdbc.queryOne(
                "UPDATE host_join_tokens SET used_at = ?, used_by_host_id = ?, used_by_name = ?"
                        + " WHERE secret_sha256 = ? AND used_at IS NULL AND expires_at > ?"
                        + " RETURNING " + TOKEN_COLUMNS,
                PostgresAgentCredentialRepository::token,
                now,
                hostId,
                hostName,
                secretSha256,
                now);
    }

    @Override
    public List<JoinToken> listUsableJoinTokens(Instant now, int limit) {
        return jdbc.queryList(
                "SELECT " + TOKEN_COLUMNS + " FROM host_join_tokens WHERE used_at IS NULL AND expires_at > ?"
                        + " ORDER BY created_at DESC LIMIT ?",
                PostgresAgentCredentialRepository::token,
                now,
                limit);
    }

    @Override
    public void recordCertificate(HostCertificate certificate) {
        jdbc.update(
                "INSERT INTO host_certificates (serial, host_id, issued_at, not_after, revoked_at)"
                        + " VALUES (?, ?, ?, ?, ?::timestamptz)",
                certificate.serial(),
                certificate.hostId(),
                certificate.issuedAt(),
                certificate.notAfter(),
                certificate.revokedAt());
    }

    @Override
    public Optional<HostCertificate> findCertificate(String serial) {
        return jdbc.queryOne(
                "SELECT " + CERTIFICATE_COLUMNS + " FROM host_certificates WHERE serial = ?",
                PostgresAgentCredentialRepository::certificate,
                serial);
    }

    @Override
    public int revokeCertificates(UUID hostId, String keptSerial, Instant now) {
        return jdbc.update(
                "UPDATE host_certificates SET revoked_at = ? WHERE host_id = ? AND serial <> ? AND revoked_at IS NULL",
                now,
                hostId,
                keptSerial);
    }

    private static StoredAuthority authority(ResultSet row) throws SQLException {
        return new StoredAuthority(
                row.getBytes("certificate_der"), row.getBytes("sealed_key"), Rows.instant(row, "created_at"));
    }

    private static JoinToken token(ResultSet row) throws SQLException {
        return new JoinToken(
                Rows.uuid(row, "id"),
                row.getString("secret_sha256"),
                Rows.instant(row, "created_at"),
                Rows.instant(row, "expires_at"),
                row.getObject("host_id", UUID.class),
                Rows.nullableInstant(row, "used_at"),
                row.getObject("used_by_host_id", UUID.class),
                row.getString("used_by_name"));
    }

    private static HostCertificate certificate(ResultSet row) throws SQLException {
        return new HostCertificate(
                row.getString("serial"),
                Rows.uuid(row, "host_id"),
                Rows.instant(row, "issued_at"),
                Rows.instant(row, "not_after"),
                Rows.nullableInstant(row, "revoked_at"));
    }
}
