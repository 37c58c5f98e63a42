package io.vireo.api.json;

import io.vireo.model.ServerGroup;
import io.vireo.model.Vm;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Doc("A server group: VMs of one project placed by a common affinity or anti-affinity policy.")
public record ServerGroupJson(
        UUID id,
        String name,
        @Doc("The id of the project that owns the group.") UUID project,
        ServerGroupPolicyJson policy,

        @Doc("The most members one host may hold (anti-affinity policies); 1 otherwise.")
        int maxPerHost,

        @Doc("The names of the group's live VMs, ordered by name.")
        List<String> members,

        Instant createdAt) {
    public ServerGroupJson {
        members = List.copyOf(members);
    }

    public static ServerGroupJson of(ServerGroup group, List<Vm> members) {
        return new ServerGroupJson(
                group.id(),
                group.name(),
                group.projectId(),
                ServerGroupPolicyJson.of(group.policy()),
                group.maxPerHost(),
                members.stream().map(Vm::name).toList(),
                group.createdAt());
    }
}
