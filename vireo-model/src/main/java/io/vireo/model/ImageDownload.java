package io.vireo.model;

import static java.util.Objects.requireNonNull;

/**
 * How an agent gets a VM's image from the server: it downloads the bytes and accepts them only if they have this
 * SHA-256 and size.
 */
public record ImageDownload(String sha256, long sizeBytes) {
    public ImageDownload {
        requireNonNull(sha256, "sha256 is null");
        if (!ImageContent.isSha256(sha256)) {
            throw new IllegalArgumentException("sha256 is not 64 lowercase hex digits");
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes is negative");
        }
    }
}
