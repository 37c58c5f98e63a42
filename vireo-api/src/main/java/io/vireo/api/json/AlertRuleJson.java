package io.vireo.api.json;

import io.vireo.controller.alerts.AlertRule;

@Doc("An alert rule the server evaluates (ADR 24).")
public record AlertRuleJson(
        @Doc("The alertname label of its alerts.") String name,
        @Doc("critical, warning or none.") String severity,

        @Doc("How long the condition must hold before the alert fires, in seconds (0: at once).")
        long forSeconds,

        @Doc("What the alert means.") String summary,
        @Doc("The condition, in words.") String expression) {
    public static AlertRuleJson of(AlertRule rule) {
        return new AlertRuleJson(
                rule.name(),
                rule.severity().label(),
                rule.forDuration().toSeconds(),
                rule.summary(),
                rule.expression());
    }
}
