package io.vireo.controller.port;

import io.vireo.model.Image;
import io.vireo.model.ImageContent;
import io.vireo.model.ImageStatus;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Image metadata. Names are unique within a project. */
public interface ImageRepository {
    /** Throws ALREADY_EXISTS if the project has an image of that name. */
    Image create(Image image);

    Optional<Image> find(UUID id);

    Optional<Image> findByName(UUID projectId, String name);

    List<Image> list(UUID projectId);

    boolean delete(UUID projectId, String name);

    /**
     * Sets the content and size of image {@code id} if its status is {@code expected} (compare and set); returns the
     * updated image, or empty if the image is gone or in another status.
     */
    Optional<Image> updateContent(UUID id, ImageStatus expected, ImageContent content, long sizeBytes);
}
