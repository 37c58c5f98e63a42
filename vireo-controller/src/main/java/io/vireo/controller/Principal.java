package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.model.ActorKind;
import io.vireo.model.Project;
import io.vireo.model.Role;
import io.vireo.model.User;
import io.vireo.model.UserKind;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who acts: a user (a person or a service account) with their project and role as they were when the request was
 * authenticated, or Vireo itself ({@code userId} null) when it seeds defaults or acts on its own.
 *
 * @param userId the user, or null for Vireo itself
 * @param name the user's name, or {@value #VIREO} for Vireo itself
 * @param projectId the project the principal acts in
 * @param role what the principal may do there
 * @param kind how the principal was authenticated, as the audit log names it: a person, a service account, the
 *     admin-token file, or {@link ActorKind#SYSTEM} for Vireo itself
 */
public record Principal(@Nullable UUID userId, String name, UUID projectId, Role role, ActorKind kind) {
    /** The name of Vireo acting on its own. */
    public static final String VIREO = "vireo";

    public Principal {
        requireNonNull(name, "name is null");
        requireNonNull(projectId, "projectId is null");
        requireNonNull(role, "role is null");
        requireNonNull(kind, "kind is null");
        if (kind == ActorKind.HOST || kind == ActorKind.ANONYMOUS) {
            throw new IllegalArgumentException("a principal is a user, the admin token or Vireo itself: " + kind);
        }
        if ((userId == null) != (kind == ActorKind.SYSTEM)) {
            throw new IllegalArgumentException("Vireo itself, and only Vireo itself, acts without a user id");
        }
        if (role == Role.ADMIN && !projectId.equals(Project.ADMIN_ID)) {
            throw new IllegalArgumentException("only principals of the admin project may be admins");
        }
    }

    /** A user, as authenticated now. */
    public static Principal of(User user) {
        return new Principal(
                user.id(),
                user.name(),
                user.projectId(),
                user.role(),
                user.kind() == UserKind.SERVICE_ACCOUNT ? ActorKind.SERVICE_ACCOUNT : ActorKind.USER);
    }

    /** The built-in administrator, as the admin token file authenticates it. */
    public static Principal builtInAdmin() {
        return new Principal(User.ADMIN_ID, User.ADMIN_NAME, Project.ADMIN_ID, Role.ADMIN, ActorKind.ADMIN_TOKEN);
    }

    /** Vireo itself acting in {@code projectId}: an admin in the admin project, a project admin elsewhere. */
    public static Principal vireo(UUID projectId) {
        return new Principal(
                null,
                VIREO,
                projectId,
                projectId.equals(Project.ADMIN_ID) ? Role.ADMIN : Role.PROJECT_ADMIN,
                ActorKind.SYSTEM);
    }

    /** Whether the principal is a system administrator. */
    public boolean admin() {
        return role == Role.ADMIN;
    }
}
