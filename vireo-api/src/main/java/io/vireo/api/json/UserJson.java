package io.vireo.api.json;

import io.vireo.model.User;
import io.vireo.model.UserKind;
import java.time.Instant;
import java.util.UUID;

@Doc("A user: a person, who logs in with a password, or a service account, which holds only API tokens.")
public record UserJson(
        UUID id,
        String name,
        @Doc("The id of the user's project.") UUID project,

        @Doc("What the user may do in the project; admin is system-wide.")
        RoleJson role,

        @Doc("True for a service account, false for a person.")
        boolean serviceAccount,

        Instant createdAt) {
    public static UserJson of(User user) {
        return new UserJson(
                user.id(),
                user.name(),
                user.projectId(),
                RoleJson.of(user.role()),
                user.kind() == UserKind.SERVICE_ACCOUNT,
                user.createdAt());
    }
}
