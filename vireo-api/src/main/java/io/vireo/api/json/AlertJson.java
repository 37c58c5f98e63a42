package io.vireo.api.json;

import io.vireo.model.Alert;
import io.vireo.model.AlertState;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

@Doc("An active alert: a rule's condition holding for one set of labels (ADR 24).")
public record AlertJson(
        @Doc("The rule's name, also the alertname label.") String name,
        @Doc("critical, warning or none.") String severity,

        @Doc("PENDING while the condition has held for less than the rule's for-duration, then FIRING.")
        AlertState state,

        @Doc("What tells this alert apart from the rule's others (alertname and severity included), as sent to"
                + " Alertmanager.")
        Map<String, String> labels,

        @Doc("summary and description, for people.") Map<String, String> annotations,
        @Doc("When the condition was first seen to hold.") Instant activeAt,

        @Doc("When the alert began to fire; null while pending.") @Nullable
        Instant firedAt) {
    public static AlertJson of(Alert alert) {
        return new AlertJson(
                alert.rule(),
                alert.labels().getOrDefault("severity", ""),
                alert.state(),
                alert.labels(),
                alert.annotations(),
                alert.activeAt(),
                alert.firedAt());
    }
}
