package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.IdGenerator;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.port.Repositories;
import io.vireo.model.ServerGroup;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.Vm;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Server groups of the caller's project: validated creation, lookup, members and deletion. Thread-safe. */
public final class ServerGroupService {
    private final Repositories store;
    private final IdGenerator ids;
    private final Clock clock;

    public ServerGroupService(Repositories store, IdGenerator ids, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.ids = requireNonNull(ids, "ids is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Creates a group. {@code maxPerHost} (default 1) is allowed for the anti-affinity policies only, in
     * 1..{@link ServerGroup#MAX_PER_HOST}.
     */
    public ServerGroup create(
            RequestContext context, String name, ServerGroupPolicy policy, @Nullable Integer maxPerHost) {
        Names.require("name", name);
        requireNonNull(policy, "policy is null");
        int perHost = maxPerHost == null ? 1 : requireMaxPerHost(policy, maxPerHost);
        return store.serverGroups()
                .create(new ServerGroup(ids.next(), context.projectId(), name, clock.instant(), policy, perHost));
    }

    /** Checks {@code maxPerHost} for {@code policy}. */
    public static int requireMaxPerHost(ServerGroupPolicy policy, long maxPerHost) {
        if (!policy.limitsMembersPerHost()) {
            throw VireoException.invalid(
                    "maxPerHost", "applies to anti-affinity and soft-anti-affinity only, not " + policy.displayName());
        }
        if (maxPerHost < 1 || maxPerHost > ServerGroup.MAX_PER_HOST) {
            throw VireoException.invalid("maxPerHost", "must be between 1 and " + ServerGroup.MAX_PER_HOST);
        }
        return (int) maxPerHost;
    }

    public ServerGroup get(RequestContext context, String name) {
        Names.require("name", name);
        return store.serverGroups()
                .findByName(context.projectId(), name)
                .orElseThrow(() -> VireoException.notFound("server group", name));
    }

    public List<ServerGroup> list(RequestContext context) {
        return store.serverGroups().list(context.projectId());
    }

    /** The group's live members, ordered by name. */
    public List<Vm> members(ServerGroup group) {
        return store.serverGroups().members(group.id());
    }

    /** Deletes the group; CONFLICT while it has live members. */
    public void delete(RequestContext context, String name) {
        ServerGroup group = get(context, name);
        if (!store.serverGroups().delete(group.id())) {
            throw VireoException.notFound("server group", name);
        }
    }
}
