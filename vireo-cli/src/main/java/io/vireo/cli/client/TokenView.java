package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** An API token as the API lists it: never its text. */
public record TokenView(
        String id,
        @Nullable String user,
        @Nullable String project,
        @Nullable String description,
        @Nullable String createdAt,
        @Nullable String expiresAt,
        @Nullable String revokedAt) {
    public TokenView {
        requireNonNull(id, "id is null");
    }
}
