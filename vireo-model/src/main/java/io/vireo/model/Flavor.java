package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** A named VM size. */
public record Flavor(UUID id, String name, Instant createdAt, Resources resources) {
    public Flavor {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(resources, "resources is null");
    }
}
