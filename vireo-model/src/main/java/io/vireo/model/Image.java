package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** A bootable image's metadata. Image bytes are stored separately. */
public record Image(UUID id, UUID projectId, String name, Instant createdAt, ImageFormat format, long sizeBytes) {
    public Image {
        requireNonNull(id, "id is null");
        requireNonNull(projectId, "projectId is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(format, "format is null");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes is negative");
        }
    }
}
