package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * Everything a host agent needs to run one VM: the server sends it, the agent converges on it. Carries the spec
 * generation and the placement epoch so that the agent can ignore stale instructions.
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
        ImageFormat imageFormat) {
    public DesiredVm {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(name, "name is null");
        requireNonNull(desiredState, "desiredState is null");
        requireNonNull(resources, "resources is null");
        requireNonNull(imageId, "imageId is null");
        requireNonNull(imageName, "imageName is null");
        requireNonNull(imageFormat, "imageFormat is null");
    }
}
