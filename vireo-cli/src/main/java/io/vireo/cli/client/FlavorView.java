package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** A flavor (a named VM size) as the API shows it. */
public record FlavorView(
        String name,
        @Nullable String id,
        @Nullable Integer vcpus,
        @Nullable Long memoryMib,
        @Nullable Long diskGib,
        @Nullable String createdAt) {
    public FlavorView {
        requireNonNull(name, "name is null");
    }
}
