package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A virtual machine: its spec (what the user asked for, versioned by {@code generation}), its placement ({@code hostId}
 * and {@code epoch}, changed only through a claim) and its status (derived by {@link VmLifecycle}).
 *
 * <p>{@code resources} are copied from the flavor at creation so that later flavor changes never alter an allocation.
 */
public record Vm(
        UUID id,
        UUID projectId,
        String name,
        Instant createdAt,
        UUID flavorId,
        UUID imageId,
        Resources resources,
        // spec
        long generation,
        DesiredState desiredState,
        long rebootCount,
        // placement
        @Nullable UUID hostId,
        long epoch,
        // status
        VmState state,
        @Nullable String stateReason,
        long observedGeneration,
        @Nullable Instant startedAt,
        Instant updatedAt,
        // asked at creation; never changed
        PlacementConstraints constraints,
        // fixed at creation: SSH keys, user data, data volumes
        GuestSpec guest,
        // fixed at creation: what happens when its host is fenced
        HaPolicy ha) {
    public Vm {
        requireNonNull(id, "id is null");
        requireNonNull(projectId, "projectId is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(flavorId, "flavorId is null");
        requireNonNull(imageId, "imageId is null");
        requireNonNull(resources, "resources is null");
        requireNonNull(desiredState, "desiredState is null");
        requireNonNull(state, "state is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(constraints, "constraints is null");
        requireNonNull(guest, "guest is null");
        requireNonNull(ha, "ha is null");
    }

    /** A new VM, accepted and waiting for placement. */
    public static Vm create(UUID id, UUID projectId, String name, Instant now, Flavor flavor, Image image) {
        return create(id, projectId, name, now, flavor, image, PlacementConstraints.NONE);
    }

    /** A new VM with placement constraints, accepted and waiting for placement. */
    public static Vm create(
            UUID id,
            UUID projectId,
            String name,
            Instant now,
            Flavor flavor,
            Image image,
            PlacementConstraints constraints) {
        return create(id, projectId, name, now, flavor, image, constraints, GuestSpec.NONE);
    }

    /** A new VM with placement constraints and SSH keys, user data or volumes, accepted and waiting for placement. */
    public static Vm create(
            UUID id,
            UUID projectId,
            String name,
            Instant now,
            Flavor flavor,
            Image image,
            PlacementConstraints constraints,
            GuestSpec guest) {
        return create(id, projectId, name, now, flavor, image, constraints, guest, HaPolicy.DEFAULT);
    }

    /** A new VM with everything asked at creation, accepted and waiting for placement. */
    public static Vm create(
            UUID id,
            UUID projectId,
            String name,
            Instant now,
            Flavor flavor,
            Image image,
            PlacementConstraints constraints,
            GuestSpec guest,
            HaPolicy ha) {
        return new Vm(
                id,
                projectId,
                name,
                now,
                flavor.id(),
                image.id(),
                flavor.resources(),
                1,
                DesiredState.RUNNING,
                0,
                null,
                0,
                VmState.PENDING,
                null,
                0,
                null,
                now,
                constraints,
                guest,
                ha);
    }

    public Vm withSpec(DesiredState desired, long reboots, Instant now) {
        return new Vm(
                id,
                projectId,
                name,
                createdAt,
                flavorId,
                imageId,
                resources,
                generation + 1,
                desired,
                reboots,
                hostId,
                epoch,
                state,
                stateReason,
                observedGeneration,
                startedAt,
                now,
                constraints,
                guest,
                ha);
    }

    /**
     * What the VM claims on its host: its flavor's resources, with its data volumes' sizes added to the disk (their
     * files live on the host too). The claim, the scheduler's demand and a migration's hold all use this.
     */
    public Resources claimedResources() {
        long volumesGib = 0;
        for (VolumeAttachment volume : guest.volumes()) {
            volumesGib = Math.addExact(volumesGib, volume.sizeGib());
        }
        return volumesGib == 0 ? resources : resources.plus(new Resources(0, 0, volumesGib));
    }

    public Vm withPlacement(
            @Nullable UUID host, long newEpoch, VmState newState, @Nullable String reason, Instant now) {
        return new Vm(
                id,
                projectId,
                name,
                createdAt,
                flavorId,
                imageId,
                resources,
                generation,
                desiredState,
                rebootCount,
                host,
                newEpoch,
                newState,
                reason,
                observedGeneration,
                startedAt,
                now,
                constraints,
                guest,
                ha);
    }

    public Vm withStatus(
            VmState newState, @Nullable String reason, long observed, @Nullable Instant started, Instant now) {
        return new Vm(
                id,
                projectId,
                name,
                createdAt,
                flavorId,
                imageId,
                resources,
                generation,
                desiredState,
                rebootCount,
                hostId,
                epoch,
                newState,
                reason,
                observed,
                started,
                now,
                constraints,
                guest,
                ha);
    }
}
