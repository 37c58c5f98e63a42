package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An active alert as the API shows it. */
public record AlertView(
        String name,
        @Nullable String severity,
        @Nullable String state,
        @Nullable Map<String, String> labels,
        @Nullable Map<String, String> annotations,
        @Nullable String activeAt,
        @Nullable String firedAt) {
    public AlertView {
        requireNonNull(name, "name is null");
    }
}
