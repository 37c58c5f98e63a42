package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.AuditFilter;
import io.vireo.controller.port.AuditRepository;
import io.vireo.model.ActorKind;
import io.vireo.model.AuditRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The audit log in table {@code audit_log} (V32): one auto-committed {@code INSERT} per record, never an update or a
 * delete (the table's trigger refuses both, and TRUNCATE). Ids come from an identity column, so a record committed a
 * moment after a later-numbered one can appear above the first page a reader already has: pages are read newest
 * first, and a reader looking for the newest records asks again from the top. Thread-safe.
 */
final class PostgresAuditRepository implements AuditRepository {
    private static final String COLUMNS = "id, created_at, actor_kind, actor_id, actor_name, project_id, action,"
            + " target_type, target_id, target_name, outcome, http_status, error_code, correlation_id,"
            + " source_address, detail";

    private final Jdbc jdbc;

    PostgresAuditRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public AuditRecord append(AuditRecord record) {
        AuditRecord.Actor actor = record.actor();
        AuditRecord.Target target = record.target();
        long id = jdbc.queryOne(
                        "INSERT INTO audit_log (created_at, actor_kind, actor_id, actor_name, project_id, action,"
                                + " target_type, target_id, target_name, outcome, http_status, error_code,"
                                + " correlation_id, source_address, detail)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        row -> row.getLong("id"),
                        record.createdAt(),
                        actor.kind(),
                        actor.id(),
                        actor.name(),
                        record.projectId(),
                        record.action(),
                        target.type(),
                        target.id(),
                        target.name(),
                        record.outcome(),
                        record.httpStatus(),
                        record.errorCode(),
                        record.correlationId(),
                        record.sourceAddress(),
                        record.detail())
                .orElseThrow();
        return record.withId(id);
    }

    @Override
    public List<AuditRecord> list(AuditFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE id < ?");
        List<@Nullable Object> parameters = new ArrayList<>();
        parameters.add(filter.beforeId());
        where(sql, parameters, "created_at >= ?", filter.since());
        where(sql, parameters, "created_at < ?", filter.until());
        where(sql, parameters, "actor_id = ?", filter.actorId());
        where(sql, parameters, "actor_name = ?", filter.actorName());
        where(sql, parameters, "project_id = ?", filter.projectId());
        where(sql, parameters, "action = ?", filter.action());
        where(sql, parameters, "target_id = ?", filter.targetId());
        where(sql, parameters, "target_name = ?", filter.targetName());
        where(sql, parameters, "outcome = ?", filter.outcome());
        where(sql, parameters, "correlation_id = ?", filter.correlationId());
        sql.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(filter.limit());
        return jdbc.queryList(sql.toString(), PostgresAuditRepository::record, parameters.toArray());
    }

    private static void where(
            StringBuilder sql, List<@Nullable Object> parameters, String condition, @Nullable Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            parameters.add(value);
        }
    }

    private static AuditRecord record(ResultSet row) throws SQLException {
        String targetType = row.getString("target_type");
        int status = row.getInt("http_status");
        Integer httpStatus = row.wasNull() ? null : status;
        return new AuditRecord(
                row.getLong("id"),
                Rows.instant(row, "created_at"),
                new AuditRecord.Actor(
                        ActorKind.valueOf(row.getString("actor_kind")),
                        row.getObject("actor_id", UUID.class),
                        row.getString("actor_name")),
                row.getObject("project_id", UUID.class),
                row.getString("action"),
                targetType == null
                        ? AuditRecord.Target.NONE
                        : AuditRecord.Target.of(
                                targetType, row.getObject("target_id", UUID.class), row.getString("target_name")),
                AuditRecord.Outcome.valueOf(row.getString("outcome")),
                httpStatus,
                row.getString("error_code"),
                row.getString("correlation_id"),
                row.getString("source_address"),
                row.getString("detail"));
    }
}
