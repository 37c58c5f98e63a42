package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** A tenant: owns VMs, images and, later, networks and groups. */
public record Project(UUID id, String name, Instant createdAt) {
    /** The project that exists from the first start. */
    public static final UUID ADMIN_ID = UUID.fromString("00000000-0000-4000-8000-000000000001");

    public Project {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
    }
}
