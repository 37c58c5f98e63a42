package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.AlertRepository;
import io.vireo.model.Alert;
import io.vireo.model.AlertState;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Active alerts on PostgreSQL, one row each, labels and annotations as two parallel text arrays. Every write is one
 * conditional statement (the key is the primary key), so replicas racing on one transition see one winner.
 * Thread-safe.
 */
final class PostgresAlertRepository implements AlertRepository {
    private static final String COLUMNS = "key, rule, label_names, label_values, annotation_names,"
            + " annotation_values, state, active_at, fired_at";

    private final Jdbc jdbc;

    PostgresAlertRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public List<Alert> list() {
        return jdbc.queryList("SELECT " + COLUMNS + " FROM alerts ORDER BY key", PostgresAlertRepository::alert);
    }

    @Override
    public boolean insert(Alert alert) {
        return jdbc.update(
                        "INSERT INTO alerts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (key) DO NOTHING",
                        alert.key(),
                        alert.rule(),
                        List.copyOf(alert.labels().keySet()),
                        List.copyOf(alert.labels().values()),
                        List.copyOf(alert.annotations().keySet()),
                        List.copyOf(alert.annotations().values()),
                        alert.state(),
                        alert.activeAt(),
                        alert.firedAt())
                == 1;
    }

    @Override
    public boolean fire(String key, Instant firedAt) {
        return jdbc.update(
                        "UPDATE alerts SET state = 'FIRING', fired_at = ? WHERE key = ? AND state = 'PENDING'",
                        firedAt,
                        key)
                == 1;
    }

    @Override
    public boolean remove(String key, AlertState expected) {
        return jdbc.update("DELETE FROM alerts WHERE key = ? AND state = ?", key, expected) == 1;
    }

    private static Alert alert(ResultSet row) throws SQLException {
        return new Alert(
                row.getString("key"),
                row.getString("rule"),
                pairs(row.getArray("label_names"), row.getArray("label_values")),
                pairs(row.getArray("annotation_names"), row.getArray("annotation_values")),
                AlertState.valueOf(row.getString("state")),
                Rows.instant(row, "active_at"),
                Rows.nullableInstant(row, "fired_at"));
    }

    private static Map<String, String> pairs(Array names, Array values) throws SQLException {
        List<String> keys = strings(names);
        List<String> texts = strings(values);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            map.put(keys.get(i), texts.get(i));
        }
        return map;
    }

    private static List<String> strings(Array array) throws SQLException {
        try {
            return new ArrayList<>(List.of((String[]) array.getArray()));
        } finally {
            array.free();
        }
    }
}
