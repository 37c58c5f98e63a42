package io.vireo.controller.alerts;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * An alert rule: its name (the {@code alertname} label), severity, how long its condition must hold before it fires
 * ({@code forDuration}; zero fires at once), a summary for people, the condition in words, and the condition itself.
 */
public record AlertRule(
        String name,
        AlertSeverity severity,
        Duration forDuration,
        String summary,
        String expression,
        AlertCondition condition) {
    public AlertRule {
        requireNonNull(name, "name is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(forDuration, "forDuration is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(expression, "expression is null");
        requireNonNull(condition, "condition is null");
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "a rule's name is a label value Prometheus accepts as alertname: " + name);
        }
        if (forDuration.isNegative()) {
            throw new IllegalArgumentException("forDuration is negative: " + forDuration);
        }
    }
}
