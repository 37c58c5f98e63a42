package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant: owns VMs, volumes, images, server groups and users. Names follow {@link io.vireo.common.Names}. The admin
 * project ({@link #ADMIN_ID}) exists from the first start and cannot be deleted; its images are public (ADR 14).
 */
public record Project(UUID id, String name, Instant createdAt) {
    /** The project that exists from the first start. */
    public static final UUID ADMIN_ID = UUID.fromString("00000000-0000-4000-8000-000000000001");

    public static final String ADMIN_NAME = "admin";

    public Project {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
    }
}
