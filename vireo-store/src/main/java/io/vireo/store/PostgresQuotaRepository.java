package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.QuotaRepository;
import io.vireo.model.ProjectQuota;
import io.vireo.model.QuotaResource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Quotas in table {@code project_quotas} (V31). Charging and releasing is done by the table's triggers on {@code vms}
 * and {@code volumes}, in the transactions of those writes; this class reads quotas and sets limits. Thread-safe.
 */
final class PostgresQuotaRepository implements QuotaRepository {
    private static final String COLUMNS = "project_id, "
            + Arrays.stream(QuotaResource.values())
                    .map(r -> r.column() + "_limit, " + r.column() + "_used")
                    .collect(Collectors.joining(", "));

    private final Jdbc jdbc;

    PostgresQuotaRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public ProjectQuota find(UUID projectId) {
        return jdbc.queryOne(
                        "SELECT " + COLUMNS + " FROM project_quotas WHERE project_id = ?",
                        PostgresQuotaRepository::quota,
                        projectId)
                .orElseGet(() -> ProjectQuota.unlimited(projectId));
    }

    @Override
    public ProjectQuota setLimits(UUID projectId, Map<QuotaResource, OptionalLong> changes) {
        changes.forEach((resource, limit) -> limit.ifPresent(value -> ProjectQuota.requireLimit(resource, value)));
        return jdbc.inTransaction(connection -> {
            Jdbc.update(
                    connection, "INSERT INTO project_quotas (project_id) VALUES (?) ON CONFLICT DO NOTHING", projectId);
            if (!changes.isEmpty()) {
                List<Object> parameters = new ArrayList<>();
                List<String> assignments = new ArrayList<>();
                for (Map.Entry<QuotaResource, OptionalLong> change :
                        sorted(changes).entrySet()) {
                    assignments.add(change.getKey().column() + "_limit = ?");
                    OptionalLong limit = change.getValue();
                    parameters.add(limit.isPresent() ? limit.getAsLong() : null);
                }
                parameters.add(projectId);
                Jdbc.update(
                        connection,
                        "UPDATE project_quotas SET " + String.join(", ", assignments) + " WHERE project_id = ?",
                        parameters.toArray());
            }
            return read(connection, projectId);
        });
    }

    /** Writes the quota row of a new project, in its create transaction. */
    static void create(Connection connection, UUID projectId, Map<QuotaResource, Long> limits) throws SQLException {
        limits.forEach(ProjectQuota::requireLimit);
        List<String> columns = new ArrayList<>(List.of("project_id"));
        List<Object> values = new ArrayList<>(List.of(projectId));
        sorted(limits).forEach((resource, limit) -> {
            columns.add(resource.column() + "_limit");
            values.add(limit);
        });
        String placeholders = String.join(", ", columns.stream().map(c -> "?").toList());
        Jdbc.update(
                connection,
                "INSERT INTO project_quotas (" + String.join(", ", columns) + ") VALUES (" + placeholders + ")",
                values.toArray());
    }

    /** The same entries in the enum's order, so the statements' text is always the same for the same columns. */
    private static <V> Map<QuotaResource, V> sorted(Map<QuotaResource, V> values) {
        Map<QuotaResource, V> sorted = new EnumMap<>(QuotaResource.class);
        sorted.putAll(values);
        return sorted;
    }

    private static ProjectQuota read(Connection connection, UUID projectId) throws SQLException {
        return Jdbc.queryOne(
                        connection,
                        "SELECT " + COLUMNS + " FROM project_quotas WHERE project_id = ?",
                        PostgresQuotaRepository::quota,
                        projectId)
                .orElseThrow();
    }

    private static ProjectQuota quota(ResultSet row) throws SQLException {
        Map<QuotaResource, Long> limits = new EnumMap<>(QuotaResource.class);
        Map<QuotaResource, Long> used = new EnumMap<>(QuotaResource.class);
        for (QuotaResource resource : QuotaResource.values()) {
            long limit = row.getLong(resource.column() + "_limit");
            if (!row.wasNull()) {
                limits.put(resource, limit);
            }
            used.put(resource, row.getLong(resource.column() + "_used"));
        }
        return new ProjectQuota(Rows.uuid(row, "project_id"), limits, used);
    }
}
