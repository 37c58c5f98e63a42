package io.vireo.api.json;

import static java.util.Objects.requireNonNull;

import io.vireo.common.Names;
import org.jspecify.annotations.Nullable;

@Doc("A user to create: a person with a password, or a service account without one.")
public record NewUserJson(
        @Doc(value = "User name, unique across the cloud.", pattern = Patterns.NAME)
        String name,

        @Doc("The user's role: at most the caller's own.") RoleJson role,

        @Doc(
                value = "The project's name; absent: the caller's project (only admins name another).",
                pattern = Patterns.NAME)
        @Nullable
        String project,

        @Doc("A person's password (at least 12 characters); absent for a service account.") @Nullable
        String password,

        @Doc("True for a service account (default false).") @Nullable
        Boolean serviceAccount) {
    public NewUserJson {
        Names.require("name", name);
        requireNonNull(role, "role is null");
        if (project != null) {
            Names.require("project", project);
        }
    }

    @Override
    public String toString() {
        return "NewUserJson[name=" + name + ", role=" + role + ", project=" + project + "]";
    }
}
