package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * Someone or something that calls the API: a member of one project with one role there. Names are unique across the
 * cloud, so a login needs no project. Only users of the admin project may hold {@link Role#ADMIN}. The password hash is
 * not part of the user: it never leaves the store except to be checked.
 */
public record User(UUID id, String name, UUID projectId, Role role, UserKind kind, Instant createdAt) {
    /** The administrator that exists from the first start, in the admin project. */
    public static final UUID ADMIN_ID = UUID.fromString("00000000-0000-4000-8000-000000000002");

    public static final String ADMIN_NAME = "admin";

    public User {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(projectId, "projectId is null");
        requireNonNull(role, "role is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(createdAt, "createdAt is null");
        if (role == Role.ADMIN && !projectId.equals(Project.ADMIN_ID)) {
            throw new IllegalArgumentException("only users of the admin project may be admins");
        }
    }
}
