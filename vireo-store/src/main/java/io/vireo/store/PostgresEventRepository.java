package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.EventRepository;
import io.vireo.model.Event;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The event log in table {@code events}. An event's {@code sequence} is given after its insert has committed, by the
 * sequencer ({@link #sequencePending}): under one transaction-scoped advisory lock it numbers the committed rows that
 * have none yet, in insert order, after the highest number given. Sequencer transactions commit one after another, so
 * a reader only ever sees a gap-free prefix of the log and polling with the last sequence seen never skips an event
 * (a {@code bigserial} drawn at insert would: a transaction that drew n can commit after one that drew n + 1). An
 * append runs the sequencer after its insert; {@link #list} runs it when rows are waiting (one whose appender died in
 * between). Thread-safe; any number of replicas may share the table.
 */
final class PostgresEventRepository implements EventRepository {
    /** The advisory lock key of the event sequencer ("vireoevt" in ASCII). */
    static final long SEQUENCER_LOCK = 0x7669_7265_6f65_7674L;

    private final Jdbc jdbc;

    PostgresEventRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public Event append(Event event) {
        long insertId = jdbc.queryOne(
                        "INSERT INTO events (created_at, object_kind, object_id, object_name, type, message, project_id,"
                                + " correlation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING insert_id",
                        row -> row.getLong("insert_id"),
                        event.createdAt(),
                        event.objectKind(),
                        event.objectId(),
                        event.objectName(),
                        event.type(),
                        event.message(),
                        event.projectId(),
                        event.correlationId())
                .orElseThrow();
        return jdbc.inTransaction(connection -> {
            sequencePending(connection);
            return Jdbc.queryOne(
                            connection,
                            "SELECT " + Rows.EVENT_COLUMNS + " FROM events WHERE insert_id = ?",
                            Rows::event,
                            insertId)
                    .orElseThrow();
        });
    }

    /**
     * Numbers the committed events without a sequence, in insert order, after the highest sequence given. Must run in
     * a transaction: the advisory lock is held until it ends, so the next sequencer sees this one's numbers.
     */
    private static void sequencePending(Connection connection) throws SQLException {
        Jdbc.queryOne(connection, "SELECT pg_advisory_xact_lock(?)", row -> true, SEQUENCER_LOCK);
        Jdbc.update(
                connection,
                "UPDATE events e SET sequence = numbered.next FROM (SELECT insert_id,"
                        + " (SELECT coalesce(max(sequence), 0) FROM events)"
                        + " + row_number() OVER (ORDER BY insert_id) AS next"
                        + " FROM events WHERE sequence IS NULL) numbered WHERE e.insert_id = numbered.insert_id");
    }

    @Override
    public List<Event> list(EventFilter filter) {
        boolean waiting = jdbc.queryOne(
                        "SELECT EXISTS (SELECT 1 FROM events WHERE sequence IS NULL)", row -> row.getBoolean(1))
                .orElseThrow();
        if (waiting) {
            jdbc.inTransaction(connection -> {
                sequencePending(connection);
                return Boolean.TRUE;
            });
        }
        StringBuilder sql = new StringBuilder("SELECT " + Rows.EVENT_COLUMNS + " FROM events WHERE sequence > ?");
        List<@Nullable Object> parameters = new ArrayList<>();
        parameters.add(filter.afterSequence());
        String objectKind = filter.objectKind();
        if (objectKind != null) {
            sql.append(" AND object_kind = ?");
            parameters.add(objectKind);
        }
        UUID objectId = filter.objectId();
        if (objectId != null) {
            sql.append(" AND object_id = ?");
            parameters.add(objectId);
        }
        UUID projectId = filter.projectId();
        if (projectId != null) {
            sql.append(" AND project_id = ?");
            parameters.add(projectId);
        }
        String correlationId = filter.correlationId();
        if (correlationId != null) {
            sql.append(" AND correlation_id = ?");
            parameters.add(correlationId);
        }
        sql.append(" ORDER BY sequence LIMIT ?");
        parameters.add(filter.limit());
        return jdbc.queryList(sql.toString(), Rows::event, parameters.toArray());
    }
}
