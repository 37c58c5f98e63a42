package io.vireo.api.json;

import io.vireo.model.Image;
import java.time.Instant;
import java.util.UUID;

@Doc("A bootable image's metadata.")
public record ImageJson(
        UUID id,
        String name,
        @Doc("The id of the project that owns the image.") UUID project,
        ImageFormatJson format,

        @Doc("Size of the image's bytes; 0 until they are uploaded.")
        long sizeBytes,

        Instant createdAt) {
    public static ImageJson of(Image image) {
        return new ImageJson(
                image.id(),
                image.name(),
                image.projectId(),
                ImageFormatJson.of(image.format()),
                image.sizeBytes(),
                image.createdAt());
    }
}
