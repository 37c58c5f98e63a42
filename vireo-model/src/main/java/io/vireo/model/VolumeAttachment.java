package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * A data volume attached to a VM, as its host's agent needs it: the volume's id (its file is named by it), its size,
 * and whether it goes when the VM is deleted.
 *
 * @param deleteOnTermination true: the volume (record and file) is deleted with the VM; false: it is kept, detached
 */
public record VolumeAttachment(UUID volumeId, long sizeGib, boolean deleteOnTermination) {
    public VolumeAttachment {
        requireNonNull(volumeId, "volumeId is null");
        if (sizeGib < 1 || sizeGib > Volume.MAX_SIZE_GIB) {
            throw new IllegalArgumentException("sizeGib must be 1-" + Volume.MAX_SIZE_GIB + ": " + sizeGib);
        }
    }
}
