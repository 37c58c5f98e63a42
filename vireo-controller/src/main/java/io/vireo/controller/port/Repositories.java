package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

/** The store as the controller sees it: one value to pass around. */
public record Repositories(
        HostRepository hosts,
        VmRepository vms,
        ClaimRepository claims,
        EventRepository events,
        FlavorRepository flavors,
        ImageRepository images,
        ServerGroupRepository serverGroups,
        VmStatsRepository vmStats,
        VolumeRepository volumes,
        AuditRepository audit) {
    public Repositories {
        requireNonNull(hosts, "hosts is null");
        requireNonNull(vms, "vms is null");
        requireNonNull(claims, "claims is null");
        requireNonNull(events, "events is null");
        requireNonNull(flavors, "flavors is null");
        requireNonNull(images, "images is null");
        requireNonNull(serverGroups, "serverGroups is null");
        requireNonNull(vmStats, "vmStats is null");
        requireNonNull(volumes, "volumes is null");
        requireNonNull(audit, "audit is null");
    }
}
