package io.vireo.controller.port;

import io.vireo.model.Alert;
import io.vireo.model.AlertState;
import java.time.Instant;
import java.util.List;

/**
 * The active alerts (pending and firing), kept so that a restarted server, or another replica, carries on where the
 * last evaluation stopped: a pending alert keeps its start, a firing one is not resolved and fired again. Every write
 * is conditional, so that two replicas evaluating at once record each transition (and its event) once.
 */
public interface AlertRepository {
    /** Every active alert, by key. */
    List<Alert> list();

    /** Inserts a new active alert; false, changing nothing, if an alert with its key is already stored. */
    boolean insert(Alert alert);

    /** Marks a pending alert firing since {@code firedAt}; false, changing nothing, if it is not stored as pending. */
    boolean fire(String key, Instant firedAt);

    /** Removes the alert if it is stored in {@code expected} state; false, changing nothing, otherwise. */
    boolean remove(String key, AlertState expected);
}
