package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** A data volume as the API shows it. */
public record VolumeView(
        String name,
        @Nullable String id,
        @Nullable String project,
        @Nullable Long sizeGib,
        @Nullable String status,
        @Nullable String vmId,
        @Nullable Boolean deleteOnTermination,
        @Nullable String hostId,
        @Nullable String createdAt,
        @Nullable String host) {
    public VolumeView {
        requireNonNull(name, "name is null");
    }
}
