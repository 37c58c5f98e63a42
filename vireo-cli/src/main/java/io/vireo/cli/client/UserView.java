package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** A user as the API shows it. */
public record UserView(
        String name,
        @Nullable String id,
        @Nullable String project,
        @Nullable String role,
        @Nullable Boolean serviceAccount,
        @Nullable String createdAt) {
    public UserView {
        requireNonNull(name, "name is null");
    }
}
