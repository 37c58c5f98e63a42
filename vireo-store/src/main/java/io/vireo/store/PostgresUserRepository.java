package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.UserRepository;
import io.vireo.model.Role;
import io.vireo.model.User;
import io.vireo.model.UserKind;
import io.vireo.store.SqlErrors.Violations;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Users in table {@code users}; names are unique, the project must exist (a foreign key), and their tokens are deleted
 * with them ({@code ON DELETE CASCADE}). Thread-safe.
 */
final class PostgresUserRepository implements UserRepository {
    private static final String COLUMNS = "id, name, project_id, role, kind, created_at";

    private final Jdbc jdbc;

    PostgresUserRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public User create(User user, @Nullable String passwordHash) {
        return jdbc.autoCommit(
                connection -> Jdbc.queryOne(
                                connection,
                                "INSERT INTO users (" + COLUMNS + ", password_hash) VALUES (?, ?, ?, ?, ?, ?, ?)"
                                        + " RETURNING " + COLUMNS,
                                PostgresUserRepository::user,
                                user.id(),
                                user.name(),
                                user.projectId(),
                                user.role(),
                                user.kind(),
                                user.createdAt(),
                                passwordHash)
                        .orElseThrow(),
                Violations.unique(() -> VireoException.alreadyExists("user", user.name()))
                        .or(Violations.foreignKey(() -> VireoException.notFound(
                                "project", user.projectId().toString()))));
    }

    @Override
    public Optional<User> find(UUID id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM users WHERE id = ?", PostgresUserRepository::user, id);
    }

    @Override
    public Optional<User> findByName(String name) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM users WHERE name = ?", PostgresUserRepository::user, name);
    }

    @Override
    public List<User> list(@Nullable UUID projectId) {
        return projectId == null
                ? jdbc.queryList("SELECT " + COLUMNS + " FROM users ORDER BY name", PostgresUserRepository::user)
                : jdbc.queryList(
                        "SELECT " + COLUMNS + " FROM users WHERE project_id = ? ORDER BY name",
                        PostgresUserRepository::user,
                        projectId);
    }

    @Override
    public Optional<String> passwordHash(UUID userId) {
        return jdbc.queryOne(
                        "SELECT password_hash FROM users WHERE id = ?",
                        row -> Optional.ofNullable(row.getString(1)),
                        userId)
                .flatMap(hash -> hash);
    }

    @Override
    public boolean setPasswordHash(UUID userId, String passwordHash) {
        requireNonNull(passwordHash, "passwordHash is null");
        return jdbc.update("UPDATE users SET password_hash = ? WHERE id = ? AND kind = 'PERSON'", passwordHash, userId)
                > 0;
    }

    @Override
    public boolean delete(UUID id) {
        return jdbc.update("DELETE FROM users WHERE id = ?", id) > 0;
    }

    private static User user(ResultSet row) throws SQLException {
        return new User(
                Rows.uuid(row, "id"),
                requireNonNull(row.getString("name")),
                Rows.uuid(row, "project_id"),
                Role.valueOf(row.getString("role")),
                UserKind.valueOf(row.getString("kind")),
                Rows.instant(row, "created_at"));
    }
}
