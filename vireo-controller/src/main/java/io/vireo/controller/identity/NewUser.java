package io.vireo.controller.identity;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Role;
import io.vireo.model.UserKind;
import org.jspecify.annotations.Nullable;

/**
 * A user to create.
 *
 * @param project the project's name, or null for the caller's own
 * @param password a person's password; null for a service account
 */
public record NewUser(
        String name,
        @Nullable String project,
        Role role,
        UserKind kind,
        @Nullable String password) {
    public NewUser {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        requireNonNull(kind, "kind is null");
    }

    @Override
    public String toString() {
        return "NewUser[name=" + name + ", project=" + project + ", role=" + role + ", kind=" + kind + "]";
    }
}
