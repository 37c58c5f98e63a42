package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One active alert: a rule's condition holding for one set of labels. {@code key} identifies it (the labels, which
 * always include {@code alertname}, written in name order, as Alertmanager tells alerts apart); {@code activeAt} is when
 * the condition was first seen to hold, {@code firedAt} when it had held for the rule's for-duration (null while
 * pending).
 */
public record Alert(
        String key,
        String rule,
        Map<String, String> labels,
        Map<String, String> annotations,
        AlertState state,
        Instant activeAt,
        @Nullable Instant firedAt) {
    /** The label every alert carries: its rule's name. */
    public static final String ALERT_NAME = "alertname";

    public Alert {
        requireNonNull(key, "key is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(state, "state is null");
        requireNonNull(activeAt, "activeAt is null");
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
        if (!rule.equals(labels.get(ALERT_NAME))) {
            throw new IllegalArgumentException("an alert's alertname label is its rule: " + rule + " " + labels);
        }
        if (!key.equals(keyOf(labels))) {
            throw new IllegalArgumentException("an alert's key is its labels: " + key);
        }
        if ((state == AlertState.FIRING) != (firedAt != null)) {
            throw new IllegalArgumentException("a firing alert, and only a firing one, has firedAt");
        }
    }

    /** The key of an alert with these labels: {@code name="value"} pairs in name order, as Alertmanager prints them. */
    public static String keyOf(Map<String, String> labels) {
        StringBuilder key = new StringBuilder("{");
        new TreeMap<>(labels).forEach((name, value) -> {
            if (key.length() > 1) {
                key.append(',');
            }
            key.append(name)
                    .append("=\"")
                    .append(value.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        });
        return key.append('}').toString();
    }

    /** A stable id for the alert's events (the same labels, the same id, across restarts and replicas). */
    public UUID eventId() {
        return UUID.nameUUIDFromBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** This alert, firing since {@code now}. */
    public Alert fired(Instant now) {
        return new Alert(key, rule, labels, annotations, AlertState.FIRING, activeAt, now);
    }
}
