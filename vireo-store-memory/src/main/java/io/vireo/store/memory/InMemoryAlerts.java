package io.vireo.store.memory;

import io.vireo.controller.port.AlertRepository;
import io.vireo.model.Alert;
import io.vireo.model.AlertState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Active alerts in memory, with the conditional writes of the PostgreSQL store. Thread-safe: every call locks. */
final class InMemoryAlerts implements AlertRepository {
    private final Map<String, Alert> alerts = new TreeMap<>();

    @Override
    public synchronized List<Alert> list() {
        return List.copyOf(alerts.values());
    }

    @Override
    public synchronized boolean insert(Alert alert) {
        return alerts.putIfAbsent(alert.key(), alert) == null;
    }

    @Override
    public synchronized boolean fire(String key, Instant firedAt) {
        Alert alert = alerts.get(key);
        if (alert == null || alert.state() != AlertState.PENDING) {
            return false;
        }
        alerts.put(key, alert.fired(firedAt));
        return true;
    }

    @Override
    public synchronized boolean remove(String key, AlertState expected) {
        Alert alert = alerts.get(key);
        if (alert == null || alert.state() != expected) {
            return false;
        }
        alerts.remove(key);
        return true;
    }
}
