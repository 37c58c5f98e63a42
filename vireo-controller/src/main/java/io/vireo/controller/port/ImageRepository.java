package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Image;
import io.vireo.model.ImageContent;
import io.vireo.model.ImageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Image metadata. Names are unique within a project. An image is {@link ImageStatus#UPLOADING} exactly while it has an
 * {@link Upload}: the record of who receives its bytes, so that an upload whose receiver is gone can be reclaimed.
 */
public interface ImageRepository {
    /**
     * An upload in progress.
     *
     * @param imageId the image
     * @param uploadId names this attempt and its partial file; every later change of the upload must name it
     * @param owner the server replica receiving the bytes (its persistent replica id)
     * @param startedAt when the upload began
     * @param renewedAt when the owner last confirmed it is still receiving or inspecting the bytes
     */
    record Upload(UUID imageId, UUID uploadId, UUID owner, Instant startedAt, Instant renewedAt) {
        public Upload {
            requireNonNull(imageId, "imageId is null");
            requireNonNull(uploadId, "uploadId is null");
            requireNonNull(owner, "owner is null");
            requireNonNull(startedAt, "startedAt is null");
            requireNonNull(renewedAt, "renewedAt is null");
        }
    }

    /** Throws ALREADY_EXISTS if the project has an image of that name. */
    Image create(Image image);

    Optional<Image> find(UUID id);

    Optional<Image> findByName(UUID projectId, String name);

    List<Image> list(UUID projectId);

    /**
     * Deletes the project's image of that name (ending an upload in progress) unless a VM that is not DELETED was made
     * from it ({@link CatalogDeletion.InUse}, nothing changed). Race-free against {@link VmRepository#create}: a VM
     * is never created from an image this deletes.
     */
    CatalogDeletion delete(UUID projectId, String name);

    /**
     * Sets the content and size of image {@code id} if its status is {@code expected} (compare and set); returns the
     * updated image, or empty if the image is gone or in another status. Never sets {@link ImageStatus#UPLOADING}
     * (that is {@link #startUpload}) and never changes an UPLOADING image (that is {@link #finishUpload}).
     */
    Optional<Image> updateContent(UUID id, ImageStatus expected, ImageContent content, long sizeBytes);

    /**
     * Makes image {@code upload.imageId()} UPLOADING with {@code upload} if its status is {@code expected} (compare
     * and set); returns the updated image, or empty if the image is gone or in another status.
     */
    Optional<Image> startUpload(ImageStatus expected, Upload upload);

    /**
     * Records that the owner of upload {@code uploadId} of image {@code imageId} still works on it; false if that
     * upload is no longer in progress (finished, reclaimed, or the image deleted).
     */
    boolean renewUpload(UUID imageId, UUID uploadId, Instant now);

    /**
     * Ends upload {@code uploadId} of image {@code imageId} with {@code content} (not UPLOADING) and size, if that
     * upload is still the image's current one (compare and set on the upload id); empty otherwise.
     */
    Optional<Image> finishUpload(UUID imageId, UUID uploadId, ImageContent content, long sizeBytes);

    /** Every upload in progress, of every project. */
    List<Upload> uploads();

    /** The ids of the images, of every project, whose bytes the server stores (ACTIVE with a SHA-256). */
    List<UUID> storedImageIds();
}
