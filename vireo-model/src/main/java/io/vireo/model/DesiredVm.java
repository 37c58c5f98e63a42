package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Everything a host agent needs to run one VM: the server sends it, the agent converges on it. Carries the spec
 * generation and the placement epoch so that the agent can ignore stale instructions. {@code imageDownload} is null
 * for a host-local image (the agent has it already), else the checksum and size of the bytes the agent fetches from
 * the server; {@code guest} carries the SSH keys, user data and data volumes of the VM's cloud-init seed and disks.
 */
public record DesiredVm(
        UUID vmId,
        String name,
        long generation,
        long epoch,
        DesiredState desiredState,
        long rebootCount,
        Resources resources,
        UUID imageId,
        String imageName,
        ImageFormat imageFormat,
        @Nullable ImageDownload imageDownload,
        GuestSpec guest) {
    public DesiredVm {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(name, "name is null");
        requireNonNull(desiredState, "desiredState is null");
        requireNonNull(resources, "resources is null");
        requireNonNull(imageId, "imageId is null");
        requireNonNull(imageName, "imageName is null");
        requireNonNull(imageFormat, "imageFormat is null");
        requireNonNull(guest, "guest is null");
    }

    /** A VM of a host-local image without SSH keys, user data or volumes. */
    public DesiredVm(
            UUID vmId,
            String name,
            long generation,
            long epoch,
            DesiredState desiredState,
            long rebootCount,
            Resources resources,
            UUID imageId,
            String imageName,
            ImageFormat imageFormat) {
        this(
                vmId,
                name,
                generation,
                epoch,
                desiredState,
                rebootCount,
                resources,
                imageId,
                imageName,
                imageFormat,
                null,
                GuestSpec.NONE);
    }
}
