package io.vireo.api.json;

import io.vireo.controller.Principal;
import io.vireo.controller.RequestContext;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("Who the caller's token acts as.")
public record CallerJson(
        @Doc("The user's id; null for Vireo itself.") @Nullable
        UUID userId,

        String user,
        @Doc("The id of the project the caller acts in.") UUID project,
        RoleJson role) {
    public static CallerJson of(RequestContext caller) {
        Principal principal = caller.principal();
        return new CallerJson(principal.userId(), principal.name(), caller.projectId(), RoleJson.of(principal.role()));
    }
}
