package io.vireo.scheduler.framework;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.scheduler.PlacementRequest;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * VMs to place all or nothing, each like {@code request} (same demand and constraints; a server group in it applies
 * among the gang too).
 *
 * <p>Invariants: at least one VM; no VM twice. The size limit is {@link SchedulerSettings#maxGangSize()}.
 */
public record GangRequest(PlacementRequest request, List<UUID> vmIds) {
    public GangRequest {
        requireNonNull(request, "request is null");
        vmIds = List.copyOf(vmIds);
        if (vmIds.isEmpty()) {
            throw VireoException.invalid("vmIds", "a gang has at least one VM");
        }
        if (new HashSet<>(vmIds).size() != vmIds.size()) {
            throw VireoException.invalid("vmIds", "a VM appears twice in the gang");
        }
    }

    public int size() {
        return vmIds.size();
    }
}
