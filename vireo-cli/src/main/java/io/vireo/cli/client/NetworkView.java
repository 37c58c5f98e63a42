package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** A network as the API shows it. */
public record NetworkView(
        String name,
        @Nullable String id,
        @Nullable String project,
        @Nullable Integer vni,
        @Nullable Integer mtu,
        @Nullable Boolean external,
        @Nullable String createdAt) {
    public NetworkView {
        requireNonNull(name, "name is null");
    }
}
