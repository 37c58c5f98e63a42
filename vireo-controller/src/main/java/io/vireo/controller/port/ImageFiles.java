package io.vireo.controller.port;

import java.io.InputStream;
import java.util.Set;
import java.util.UUID;

/**
 * Where the server keeps image bytes. An upload is received into a temporary file named by its upload id, then either
 * committed under the image's id or discarded; nothing else ever names a file. Implementations are thread-safe.
 */
public interface ImageFiles {
    /** What {@link #receive} wrote. */
    record Received(UUID temporaryId, long sizeBytes, String sha256) {}

    /** The files present: committed images by image id, partial uploads by upload id. */
    record Listing(Set<UUID> imageIds, Set<UUID> uploadIds) {
        public Listing {
            imageIds = Set.copyOf(imageIds);
            uploadIds = Set.copyOf(uploadIds);
        }
    }

    /**
     * Copies {@code body} to a new temporary file named by {@code uploadId}, computing its SHA-256 as it goes, never holding it whole in memory.
     * On any failure the temporary file is removed.
     *
     * @throws io.vireo.common.VireoException {@code PAYLOAD_TOO_LARGE} once more than {@code maxBytes} arrive
     * @throws java.io.UncheckedIOException if the body cannot be read or the file written
     */
    Received receive(UUID uploadId, InputStream body, long maxBytes);

    /** Every file present; files whose name Vireo never makes are not listed (and never removed). */
    Listing list();

    /** Moves a received file to be the bytes of image {@code imageId} (atomically, replacing any previous ones). */
    void commit(UUID temporaryId, UUID imageId);

    /** Removes a received file that will not be kept. Idempotent. */
    void discard(UUID temporaryId);

    /** Opens the committed bytes of image {@code imageId} for reading; the caller closes the stream. */
    InputStream open(UUID imageId);

    /** Removes the committed bytes of image {@code imageId}, if any. Idempotent. */
    void delete(UUID imageId);
}
