package io.vireo.api;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.AuditLog;
import io.vireo.controller.CatalogService;
import io.vireo.controller.HostDeletions;
import io.vireo.controller.HostDrains;
import io.vireo.controller.HostEnrollment;
import io.vireo.controller.ImageService;
import io.vireo.controller.MigrationService;
import io.vireo.controller.NetworkService;
import io.vireo.controller.ServerGroupService;
import io.vireo.controller.VmService;
import io.vireo.controller.alerts.AlertService;
import io.vireo.controller.identity.IdentityService;
import io.vireo.controller.port.Repositories;
import org.jspecify.annotations.Nullable;

/**
 * The controller's services the API serves.
 *
 * @param migrations live migration; null where the API serves none
 * @param hostDeletions an operator's deletion of an empty host (ADR 26)
 * @param drains host drains (live migration of a host's VMs away); null where the API serves none
 * @param enrollment host join tokens (ADR 15); null where the API serves none
 * @param networks networks, subnets and ports (ADR 23)
 * @param store read by the API for hosts and events, and to name a VM's host, flavor and image
 * @param audit where every call that may change something is recorded, and what {@code GET /audit} reads
 * @param alerts the active alerts and the rules ({@code GET /alerts}, ADR 24)
 */
public record ApiServices(
        VmService vms,
        CatalogService catalog,
        ServerGroupService groups,
        ImageService images,
        @Nullable MigrationService migrations,
        HostDeletions hostDeletions,
        @Nullable HostDrains drains,
        @Nullable HostEnrollment enrollment,
        IdentityService identity,
        NetworkService networks,
        Repositories store,
        AuditLog audit,
        AlertService alerts) {
    public ApiServices {
        requireNonNull(vms, "vms is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(groups, "groups is null");
        requireNonNull(images, "images is null");
        requireNonNull(hostDeletions, "hostDeletions is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(networks, "networks is null");
        requireNonNull(store, "store is null");
        requireNonNull(audit, "audit is null");
        requireNonNull(alerts, "alerts is null");
    }
}
