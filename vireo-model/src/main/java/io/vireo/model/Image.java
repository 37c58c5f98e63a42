package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A bootable image's metadata. Its bytes are stored separately: {@code sizeBytes} and {@code content} describe them.
 */
public record Image(
        UUID id,
        UUID projectId,
        String name,
        Instant createdAt,
        ImageFormat format,
        long sizeBytes,
        ImageContent content) {
    /** A host-local image (each agent provides its bytes), usable at once. */
    public Image(UUID id, UUID projectId, String name, Instant createdAt, ImageFormat format, long sizeBytes) {
        this(id, projectId, name, createdAt, format, sizeBytes, ImageContent.hostLocal());
    }

    public Image {
        requireNonNull(id, "id is null");
        requireNonNull(projectId, "projectId is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(format, "format is null");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes is negative");
        }
        requireNonNull(content, "content is null");
    }

    /** VMs can be made only from an ACTIVE image. */
    public boolean usable() {
        return content.status() == ImageStatus.ACTIVE;
    }

    public Image withContent(ImageContent newContent, long newSizeBytes) {
        return new Image(id, projectId, name, createdAt, format, newSizeBytes, newContent);
    }
}
