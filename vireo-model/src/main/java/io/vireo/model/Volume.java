package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A data volume of a project: a blank virtual disk that is attached to at most one VM, at the VM's creation.
 *
 * @param vmId the VM it is attached to, or null while it is available
 * @param deleteOnTermination while attached: whether it is deleted with the VM (else it is kept, detached)
 * @param hostId the host whose disk holds its data once a VM used it, or null if it never held data. Volumes are local
 *     to their host: a kept volume's file stays there, and a VM it is attached to again is placed on that host only.
 *     Set when its VM is deleted (to the VM's host at that moment, so a VM that moved takes it along; kept if the VM
 *     was never placed), and when its VM completes a live migration (to the destination, which then has the file).
 */
public record Volume(
        UUID id,
        UUID projectId,
        String name,
        Instant createdAt,
        long sizeGib,
        @Nullable UUID vmId,
        boolean deleteOnTermination,
        @Nullable UUID hostId) {
    /** The largest volume: 16 TiB. */
    public static final long MAX_SIZE_GIB = 16L * 1024;
    /** The most volumes one VM may have attached. */
    public static final int MAX_PER_VM = 8;

    public Volume {
        requireNonNull(id, "id is null");
        requireNonNull(projectId, "projectId is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        if (sizeGib < 1 || sizeGib > MAX_SIZE_GIB) {
            throw new IllegalArgumentException("sizeGib must be 1-" + MAX_SIZE_GIB + ": " + sizeGib);
        }
    }

    public boolean attached() {
        return vmId != null;
    }

    /**
     * Why this volume cannot be attached to a new VM, or empty if it can. A kept volume (with a {@code hostId}) can:
     * its new VM is pinned to that host.
     */
    public Optional<String> attachProblem() {
        if (vmId != null) {
            return Optional.of("volume '" + name + "' is attached to another VM");
        }
        return Optional.empty();
    }

    public VolumeAttachment attachment(boolean deleteWithVm) {
        return new VolumeAttachment(id, sizeGib, deleteWithVm);
    }
}
