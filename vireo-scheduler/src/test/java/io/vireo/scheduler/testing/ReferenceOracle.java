package io.vireo.scheduler.testing;

import io.vireo.model.HostState;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.ServerGroupPolicy;
import io.vireo.scheduler.snapshot.HostInventory;
import io.vireo.scheduler.snapshot.ResourceClass;
import io.vireo.scheduler.snapshot.ResourceInventory;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The placement rules written the slow, obvious way over {@link HostInventory} objects, independent of snapshots and
 * plugins, for property tests to check the framework against. Tracks server-group members as a gang is placed.
 */
public final class ReferenceOracle {
    private final PlacementRequest request;
    private final Map<UUID, Integer> membersByHost = new HashMap<>();
    private int members;

    public ReferenceOracle(PlacementRequest request) {
        this.request = request;
        request.serverGroup().memberHosts().forEach(this::addMember);
    }

    public void addMember(UUID hostId) {
        membersByHost.merge(hostId, 1, Integer::sum);
        members++;
    }

    public int membersOn(UUID hostId) {
        return membersByHost.getOrDefault(hostId, 0);
    }

    /** Whether {@code host} may take one more VM of the request. */
    public boolean fits(HostInventory host) {
        return host.state() == HostState.UP
                && !request.excludedHosts().contains(host.id())
                && (request.availabilityZones().isEmpty()
                        || (host.availabilityZone() != null
                                && request.availabilityZones().contains(host.availabilityZone())))
                && host.traits().containsAll(request.traits().required())
                && host.traits().stream().noneMatch(request.traits().forbidden()::contains)
                && host.aggregates().containsAll(request.aggregates().required())
                && host.aggregates().stream().noneMatch(request.aggregates().forbidden()::contains)
                && resourcesFit(host)
                && groupAllows(host.id());
    }

    private boolean resourcesFit(HostInventory host) {
        for (Map.Entry<ResourceClass, Long> demand : request.demand().entrySet()) {
            if (demand.getValue() > 0 && free(host.resource(demand.getKey())) < demand.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Computed here, not by {@link ResourceInventory#free()}, to check that too. */
    public static long free(ResourceInventory inventory) {
        double capacity = (inventory.total() - inventory.reserved()) * inventory.allocationRatio();
        return (long) Math.floor(capacity) - inventory.used();
    }

    private boolean groupAllows(UUID hostId) {
        ServerGroupPolicy policy = request.serverGroup().policy();
        return switch (policy) {
            case AFFINITY -> members == 0 || membersOn(hostId) > 0;
            case ANTI_AFFINITY -> membersOn(hostId) < request.serverGroup().maxPerHost();
            case NONE, SOFT_AFFINITY, SOFT_ANTI_AFFINITY -> true;
        };
    }
}
