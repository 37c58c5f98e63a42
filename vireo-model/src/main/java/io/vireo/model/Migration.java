package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One live migration of a VM from {@code sourceHostId} to {@code destinationHostId}. While it is in flight the
 * destination holds {@code resources} for the VM besides the source's allocation; {@code sourceEpoch} is the VM's
 * placement epoch when it was requested (completing it moves the VM to the destination with the next epoch, only if
 * the VM is still there at that epoch).
 *
 * @param figures what the source measured, once it has reported them
 */
public record Migration(
        UUID id,
        UUID vmId,
        UUID sourceHostId,
        UUID destinationHostId,
        MigrationState state,
        Resources resources,
        long sourceEpoch,
        @Nullable String error,
        @Nullable String correlationId,
        Instant requestedAt,
        @Nullable Instant finishedAt,
        @Nullable Figures figures) {
    public Migration {
        requireNonNull(id, "id is null");
        requireNonNull(vmId, "vmId is null");
        requireNonNull(sourceHostId, "sourceHostId is null");
        requireNonNull(destinationHostId, "destinationHostId is null");
        requireNonNull(state, "state is null");
        requireNonNull(resources, "resources is null");
        requireNonNull(requestedAt, "requestedAt is null");
        if (sourceHostId.equals(destinationHostId)) {
            throw new IllegalArgumentException("a migration needs two different hosts");
        }
    }

    /** A new migration, just requested. */
    public static Migration requested(
            UUID id, Vm vm, UUID destinationHostId, @Nullable String correlationId, Instant now) {
        UUID source = requireNonNull(vm.hostId(), "the VM has no host");
        return new Migration(
                id,
                vm.id(),
                source,
                destinationHostId,
                MigrationState.PREPARING,
                vm.claimedResources(),
                vm.epoch(),
                null,
                correlationId,
                now,
                null,
                null);
    }

    /**
     * The source's measurements of a completed migration.
     *
     * @param total disk copy plus memory migration, as the source timed it
     * @param diskCopy copying the disk before the memory
     * @param memory QEMU's memory migration time
     * @param downtime QEMU's downtime: how long the guest was paused
     */
    public record Figures(
            Duration total, Duration diskCopy, Duration memory, Duration downtime, long transferredBytes) {
        public Figures {
            requireNonNull(total, "total is null");
            requireNonNull(diskCopy, "diskCopy is null");
            requireNonNull(memory, "memory is null");
            requireNonNull(downtime, "downtime is null");
        }
    }
}
