package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** A project as the API shows it. */
public record ProjectView(
        String name, @Nullable String id, @Nullable String createdAt) {
    public ProjectView {
        requireNonNull(name, "name is null");
    }
}
