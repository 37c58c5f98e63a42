package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** A disk image as the API shows it. */
public record ImageView(
        String name,
        @Nullable String id,
        @Nullable String project,
        @Nullable String format,
        @Nullable Long sizeBytes,
        @Nullable String createdAt,
        @Nullable String status,
        @Nullable String statusReason,
        @Nullable String sha256) {
    public ImageView {
        requireNonNull(name, "name is null");
    }
}
