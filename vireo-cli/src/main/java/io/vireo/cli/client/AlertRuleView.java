package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** An alert rule as the API shows it. */
public record AlertRuleView(
        String name,
        @Nullable String severity,
        @Nullable Long forSeconds,
        @Nullable String summary,
        @Nullable String expression) {
    public AlertRuleView {
        requireNonNull(name, "name is null");
    }
}
