package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.EventRepository;
import io.vireo.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The event log in table {@code events}; the sequence is a {@code bigserial}. Sequences are assigned at insert, not at
 * commit, so a reader polling with {@code afterSequence} can see event n+1 before a concurrent transaction commits
 * event n. Thread-safe.
 */
final class PostgresEventRepository implements EventRepository {
    private final Jdbc jdbc;

    PostgresEventRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public Event append(Event event) {
        return jdbc.queryOne(
                        "INSERT INTO events (created_at, object_kind, object_id, object_name, type, message, project_id,"
                                + " correlation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + Rows.EVENT_COLUMNS,
                        Rows::event,
                        event.createdAt(),
                        event.objectKind(),
                        event.objectId(),
                        event.objectName(),
                        event.type(),
                        event.message(),
                        event.projectId(),
                        event.correlationId())
                .orElseThrow();
    }

    @Override
    public List<Event> list(EventFilter filter) {
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
        sql.append(" ORDER BY sequence LIMIT ?");
        parameters.add(filter.limit());
        return jdbc.queryList(sql.toString(), Rows::event, parameters.toArray());
    }
}
