package io.vireo.scheduler;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Resources;
import java.util.Set;
import java.util.UUID;

/** One VM to place: how much it needs, and hosts it must not land on (for example the one it is leaving). */
public record PlacementRequest(UUID vmId, Resources resources, Set<UUID> excludedHosts) {
    public PlacementRequest {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(resources, "resources is null");
        excludedHosts = Set.copyOf(excludedHosts);
    }

    public PlacementRequest(UUID vmId, Resources resources) {
        this(vmId, resources, Set.of());
    }
}
