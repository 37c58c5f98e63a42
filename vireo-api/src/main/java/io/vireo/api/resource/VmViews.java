package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.json.VmJson;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Flavor;
import io.vireo.model.Host;
import io.vireo.model.Image;
import io.vireo.model.ServerGroup;
import io.vireo.model.Vm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns VMs into their JSON with the names of their host, flavor, image and group. One VM costs four lookups by id; a list
 * costs one listing of each kind per request, never lookups per VM. Thread-safe.
 */
final class VmViews {
    private final Repositories store;

    VmViews(Repositories store) {
        this.store = requireNonNull(store, "store is null");
    }

    VmJson one(Vm vm) {
        UUID hostId = vm.hostId();
        return VmJson.of(
                vm,
                hostId == null
                        ? null
                        : store.hosts().find(hostId).map(Host::name).orElse(null),
                store.flavors().find(vm.flavorId()).map(Flavor::name).orElse(null),
                store.images().find(vm.imageId()).map(Image::name).orElse(null),
                groupName(vm));
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
        Map<UUID, String> images = names(store.images().list(projectId), Image::id, Image::name);
        boolean anyGrouped = vms.stream().anyMatch(vm -> vm.constraints().serverGroupId() != null);
        Map<UUID, String> groups =
                anyGrouped ? names(store.serverGroups().list(projectId), ServerGroup::id, ServerGroup::name) : Map.of();
        return vms.stream()
                .map(vm -> {
                    UUID hostId = vm.hostId();
                    return VmJson.of(
                            vm,
                            hostId == null ? null : hosts.get(hostId),
                            flavors.get(vm.flavorId()),
                            images.get(vm.imageId()),
                            groupId(vm) == null ? null : groups.get(groupId(vm)));
                })
                .toList();
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
