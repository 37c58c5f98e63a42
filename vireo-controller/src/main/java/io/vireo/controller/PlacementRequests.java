package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.Repositories;
import io.vireo.model.PlacementConstraints;
import io.vireo.model.Vm;
import io.vireo.model.Volume;
import io.vireo.model.VolumeAttachment;
import io.vireo.scheduler.LabelRequirement;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.RequiredHost;
import io.vireo.scheduler.ServerGroup;
import io.vireo.scheduler.ServerGroupPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a VM and its {@link PlacementConstraints} into the scheduler's {@link PlacementRequest}: its zone, its
 * required and forbidden traits, and its server group with the hosts of the group's placed members as the store has
 * them now. Thread-safe.
 */
final class PlacementRequests {
    private final Repositories store;

    PlacementRequests(Repositories store) {
        this.store = requireNonNull(store, "store is null");
    }

    PlacementRequest of(Vm vm) {
        return builder(vm).build();
    }

    /**
     * The request of a VM's first placement: as {@link #of}, and, if one of its volumes holds data on a host already
     * (a kept volume attached again), that host is required. Live migration uses {@link #of}: it moves the volume.
     */
    PlacementRequest forCreate(Vm vm) {
        PlacementRequest.Builder request = builder(vm);
        for (VolumeAttachment attachment : vm.guest().volumes()) {
            Optional<Volume> volume = store.volumes().find(attachment.volumeId());
            if (volume.isEmpty()) {
                continue;
            }
            UUID host = volume.get().hostId();
            if (host != null) {
                request.requiredHost(new RequiredHost(
                        host, "the host holding volume '" + volume.get().name() + "'"));
                break; // GuestSpecs admits only volumes of one host
            }
        }
        return request.build();
    }

    private PlacementRequest.Builder builder(Vm vm) {
        PlacementConstraints constraints = vm.constraints();
        PlacementRequest.Builder request = PlacementRequest.builder(vm.id(), vm.claimedResources())
                .traits(new LabelRequirement(constraints.requiredTraits(), constraints.forbiddenTraits()));
        String zone = constraints.availabilityZone();
        if (zone != null) {
            request.availabilityZone(zone);
        }
        UUID groupId = constraints.serverGroupId();
        if (groupId != null) {
            store.serverGroups().find(groupId).ifPresent(group -> request.serverGroup(serverGroup(group, vm)));
        }
        return request;
    }

    private ServerGroup serverGroup(io.vireo.model.ServerGroup group, Vm vm) {
        List<UUID> memberHosts = store.serverGroups().members(group.id()).stream()
                .filter(member -> !member.id().equals(vm.id()))
                .map(Vm::hostId)
                .filter(Objects::nonNull)
                .toList();
        return new ServerGroup(policy(group.policy()), group.maxPerHost(), memberHosts);
    }

    static ServerGroupPolicy policy(io.vireo.model.ServerGroupPolicy policy) {
        return switch (policy) {
            case AFFINITY -> ServerGroupPolicy.AFFINITY;
            case ANTI_AFFINITY -> ServerGroupPolicy.ANTI_AFFINITY;
            case SOFT_AFFINITY -> ServerGroupPolicy.SOFT_AFFINITY;
            case SOFT_ANTI_AFFINITY -> ServerGroupPolicy.SOFT_ANTI_AFFINITY;
        };
    }
}
