package io.vireo.api.json;

import io.vireo.model.Image;
import io.vireo.model.ImageStatus;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("A bootable image: its metadata and where its bytes stand.")
public record ImageJson(
        UUID id,
        String name,
        @Doc("The id of the project that owns the image.") UUID project,
        ImageFormatJson format,

        @Doc("Size of the accepted bytes; 0 until they are uploaded, and for host-local images.")
        long sizeBytes,

        Instant createdAt,

        @Doc("PENDING (awaiting its upload), UPLOADING, ACTIVE (usable by VMs) or REJECTED (see statusReason).")
        ImageStatus status,

        @Doc("Why the last upload was refused; empty unless REJECTED.")
        String statusReason,

        @Doc("SHA-256 of the accepted bytes (lowercase hex); null until ACTIVE, and for host-local images.") @Nullable
        String sha256,

        @Doc("The SHA-256 the upload must have, if one was declared at creation.") @Nullable
        String expectedSha256) {
    public static ImageJson of(Image image) {
        return new ImageJson(
                image.id(),
                image.name(),
                image.projectId(),
                ImageFormatJson.of(image.format()),
                image.sizeBytes(),
                image.createdAt(),
                image.content().status(),
                image.content().reason(),
                image.content().sha256(),
                image.content().expectedSha256());
    }
}
