package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.TokenRepository;
import io.vireo.model.ApiToken;
import io.vireo.store.SqlErrors.Violations;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * API tokens in table {@code api_tokens}, found by the SHA-256 of their text (unique, indexed). Every lookup reads the
 * row, so a revocation committed by any replica holds for the next request everywhere. Thread-safe.
 */
final class PostgresTokenRepository implements TokenRepository {
    private static final String COLUMNS = "id, user_id, sha256, description, created_at, expires_at, revoked_at";
    private static final String ORDER = " ORDER BY created_at, id";

    private final Jdbc jdbc;

    PostgresTokenRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public ApiToken create(ApiToken token) {
        return jdbc.autoCommit(
                connection -> Jdbc.queryOne(
                                connection,
                                "INSERT INTO api_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "
                                        + COLUMNS,
                                PostgresTokenRepository::token,
                                token.id(),
                                token.userId(),
                                token.sha256(),
                                token.description(),
                                token.createdAt(),
                                token.expiresAt(),
                                token.revokedAt())
                        .orElseThrow(),
                Violations.foreignKey(() ->
                                VireoException.notFound("user", token.userId().toString()))
                        .or(Violations.unique(() ->
                                VireoException.alreadyExists("token", token.id().toString()))));
    }

    @Override
    public Optional<ApiToken> find(UUID id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM api_tokens WHERE id = ?", PostgresTokenRepository::token, id);
    }

    @Override
    public Optional<ApiToken> findBySha256(String sha256) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM api_tokens WHERE sha256 = ?", PostgresTokenRepository::token, sha256);
    }

    @Override
    public List<ApiToken> list(@Nullable UUID projectId, @Nullable UUID userId) {
        if (userId != null) {
            return jdbc.queryList(
                    "SELECT " + COLUMNS + " FROM api_tokens WHERE user_id = ?" + ORDER,
                    PostgresTokenRepository::token,
                    userId);
        }
        if (projectId != null) {
            return jdbc.queryList(
                    "SELECT " + COLUMNS
                            + " FROM api_tokens WHERE user_id IN (SELECT id FROM users WHERE project_id = ?)" + ORDER,
                    PostgresTokenRepository::token,
                    projectId);
        }
        return jdbc.queryList("SELECT " + COLUMNS + " FROM api_tokens" + ORDER, PostgresTokenRepository::token);
    }

    @Override
    public boolean revoke(UUID id, Instant now) {
        return jdbc.update("UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", now, id) > 0;
    }

    @Override
    public boolean delete(UUID id) {
        return jdbc.update("DELETE FROM api_tokens WHERE id = ?", id) > 0;
    }

    @Override
    public int deleteExpired(Instant before) {
        return jdbc.update("DELETE FROM api_tokens WHERE expires_at < ?", before);
    }

    private static ApiToken token(ResultSet row) throws SQLException {
        OffsetDateTime revoked = row.getObject("revoked_at", OffsetDateTime.class);
        return new ApiToken(
                Rows.uuid(row, "id"),
                Rows.uuid(row, "user_id"),
                requireNonNull(row.getString("sha256")),
                requireNonNull(row.getString("description")),
                Rows.instant(row, "created_at"),
                Rows.instant(row, "expires_at"),
                revoked == null ? null : revoked.toInstant());
    }
}
