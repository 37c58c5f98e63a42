package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.json.VmJson;
import io.vireo.api.json.VmMigrationJson;
import io.vireo.controller.MigrationService;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Flavor;
import io.vireo.model.Host;
import io.vireo.model.Image;
import io.vireo.model.Migration;
import io.vireo.model.Project;
import io.vireo.model.ServerGroup;
import io.vireo.model.Vm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns VMs into their JSON with the names of their host, flavor, image and group, and their migration in flight. One
 * VM costs four lookups by id, and one more query (plus two host lookups while it migrates) when it is placed; a list
 * costs one listing of each kind and one query for the migrations of its placed VMs per request, never lookups per VM.
 * Without a {@link MigrationService} (an API without live migration) no VM shows a migration. Thread-safe.
 */
final class VmViews {
    private final Repositories store;
    private final @Nullable MigrationService migrations;

    VmViews(Repositories store, @Nullable MigrationService migrations) {
        this.store = requireNonNull(store, "store is null");
        this.migrations = migrations;
    }

    VmJson one(Vm vm) {
        UUID hostId = vm.hostId();
        Migration migration = inFlight(List.of(vm)).get(vm.id());
        return VmJson.of(
                vm,
                hostId == null
                        ? null
                        : store.hosts().find(hostId).map(Host::name).orElse(null),
                store.flavors().find(vm.flavorId()).map(Flavor::name).orElse(null),
                store.images().find(vm.imageId()).map(Image::name).orElse(null),
                groupName(vm),
                migration == null
                        ? null
                        : VmMigrationJson.of(
                                migration,
                                hostName(migration.sourceHostId()),
                                hostName(migration.destinationHostId())));
    }

    /** The host's name, or its id if it is gone (as the migrations' own routes show it). */
    private String hostName(UUID hostId) {
        return store.hosts().find(hostId).map(Host::name).orElse(hostId.toString());
    }

    private @Nullable String groupName(Vm vm) {
        UUID groupId = vm.constraints().serverGroupId();
        return groupId == null
                ? null
                : store.serverGroups().find(groupId).map(ServerGroup::name).orElse(null);
    }

    /** The VMs of one project, in order. */
    List<VmJson> all(List<Vm> vms, UUID projectId) {
        if (vms.isEmpty()) {
            return List.of();
        }
        boolean anyPlaced = vms.stream().anyMatch(vm -> vm.hostId() != null);
        Map<UUID, String> hosts = anyPlaced ? names(store.hosts().list(), Host::id, Host::name) : Map.of();
        Map<UUID, String> flavors = names(store.flavors().list(), Flavor::id, Flavor::name);
        List<Image> usable = new ArrayList<>(store.images().list(projectId));
        if (!projectId.equals(Project.ADMIN_ID)) {
            usable.addAll(store.images().list(Project.ADMIN_ID)); // public images (ADR 14)
        }
        Map<UUID, String> images = names(usable, Image::id, Image::name);
        boolean anyGrouped = vms.stream().anyMatch(vm -> vm.constraints().serverGroupId() != null);
        Map<UUID, String> groups =
                anyGrouped ? names(store.serverGroups().list(projectId), ServerGroup::id, ServerGroup::name) : Map.of();
        Map<UUID, Migration> inFlight = inFlight(vms);
        return vms.stream()
                .map(vm -> {
                    UUID hostId = vm.hostId();
                    Migration migration = inFlight.get(vm.id());
                    return VmJson.of(
                            vm,
                            hostId == null ? null : hosts.get(hostId),
                            flavors.get(vm.flavorId()),
                            images.get(vm.imageId()),
                            groupId(vm) == null ? null : groups.get(groupId(vm)),
                            migration == null ? null : view(migration, hosts));
                })
                .toList();
    }

    /** The migrations in flight of the placed VMs among these (an unplaced VM never migrates): one query, or none. */
    private Map<UUID, Migration> inFlight(List<Vm> vms) {
        if (migrations == null) {
            return Map.of();
        }
        List<Vm> placed = vms.stream().filter(vm -> vm.hostId() != null).toList();
        return placed.isEmpty() ? Map.of() : migrations.inFlight(placed);
    }

    private static VmMigrationJson view(Migration migration, Map<UUID, String> hosts) {
        return VmMigrationJson.of(
                migration,
                hosts.getOrDefault(
                        migration.sourceHostId(), migration.sourceHostId().toString()),
                hosts.getOrDefault(
                        migration.destinationHostId(),
                        migration.destinationHostId().toString()));
    }

    private static @Nullable UUID groupId(Vm vm) {
        return vm.constraints().serverGroupId();
    }

    private static <T> Map<UUID, String> names(List<T> items, Function<T, UUID> id, Function<T, String> name) {
        Map<UUID, String> names = new HashMap<>();
        for (T item : items) {
            names.put(id.apply(item), name.apply(item));
        }
        return names;
    }
}
