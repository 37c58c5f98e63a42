package io.vireo.api.json;

import static java.util.Objects.requireNonNull;

import io.vireo.common.Names;
import io.vireo.controller.ServerGroupService;
import io.vireo.model.ServerGroup;
import org.jspecify.annotations.Nullable;

@Doc("A server group to create.")
public record NewServerGroupJson(
        @Doc(value = "Group name, unique within the project.", pattern = Patterns.NAME)
        String name,

        @Doc("How members are placed relative to each other.")
        ServerGroupPolicyJson policy,

        @Doc(
                value = "Optional, anti-affinity policies only: the most members one host may hold (default 1).",
                minimum = 1,
                maximum = ServerGroup.MAX_PER_HOST)
        @Nullable
        Long maxPerHost) {
    public NewServerGroupJson {
        Names.require("name", name);
        requireNonNull(policy, "policy is null");
        if (maxPerHost != null) {
            ServerGroupService.requireMaxPerHost(policy.toModel(), maxPerHost);
        }
    }
}
