package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.ProjectRepository;
import io.vireo.model.Project;
import io.vireo.model.QuotaResource;
import io.vireo.store.SqlErrors.Violations;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Projects in table {@code projects}, each with its row of {@code project_quotas}; the unique name is enforced by the table. Thread-safe. */
final class PostgresProjectRepository implements ProjectRepository {
    private static final String COLUMNS = "id, name, created_at";

    /**
     * Whether the project still owns something. A VM, volume, image or group created in the project while it is being
     * deleted can still commit after this check: their tables carry no key to projects yet (V1).
     */
    private static final String OWNS_ANYTHING = """
            SELECT EXISTS (SELECT 1 FROM users WHERE project_id = ?)
                OR EXISTS (SELECT 1 FROM vms WHERE project_id = ? AND state <> 'DELETED')
                OR EXISTS (SELECT 1 FROM volumes WHERE project_id = ?)
                OR EXISTS (SELECT 1 FROM images WHERE project_id = ?)
                OR EXISTS (SELECT 1 FROM server_groups WHERE project_id = ?)
                OR EXISTS (SELECT 1 FROM networks WHERE project_id = ?)""";

    private final Jdbc jdbc;

    PostgresProjectRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public Project create(Project project, Map<QuotaResource, Long> limits) {
        return jdbc.inTransaction(
                connection -> {
                    Project created = Jdbc.queryOne(
                                    connection,
                                    "INSERT INTO projects (" + COLUMNS + ") VALUES (?, ?, ?) RETURNING " + COLUMNS,
                                    PostgresProjectRepository::project,
                                    project.id(),
                                    project.name(),
                                    project.createdAt())
                            .orElseThrow();
                    PostgresQuotaRepository.create(connection, created.id(), limits);
                    return created;
                },
                Violations.unique(() -> VireoException.alreadyExists("project", project.name())));
    }

    @Override
    public Optional<Project> find(UUID id) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM projects WHERE id = ?", PostgresProjectRepository::project, id);
    }

    @Override
    public Optional<Project> findByName(String name) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM projects WHERE name = ?", PostgresProjectRepository::project, name);
    }

    @Override
    public List<Project> list() {
        return jdbc.queryList("SELECT " + COLUMNS + " FROM projects ORDER BY name", PostgresProjectRepository::project);
    }

    /** One transaction: the project's row locked, what it owns checked, then the row deleted if nothing. */
    @Override
    public Deletion delete(UUID id) {
        return jdbc.inTransaction(connection -> {
            if (Jdbc.queryOne(connection, "SELECT 1 FROM projects WHERE id = ? FOR UPDATE", row -> 1, id)
                    .isEmpty()) {
                return Deletion.NOT_FOUND;
            }
            boolean owns = Jdbc.queryOne(connection, OWNS_ANYTHING, row -> row.getBoolean(1), id, id, id, id, id, id)
                    .orElseThrow();
            if (owns) {
                return Deletion.IN_USE;
            }
            Jdbc.update(connection, "DELETE FROM project_quotas WHERE project_id = ?", id);
            Jdbc.update(connection, "DELETE FROM projects WHERE id = ?", id);
            return Deletion.DELETED;
        });
    }

    private static Project project(ResultSet row) throws SQLException {
        return new Project(
                Rows.uuid(row, "id"), requireNonNull(row.getString("name")), Rows.instant(row, "created_at"));
    }
}
