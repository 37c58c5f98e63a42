package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.ErrorCode;
import io.vireo.model.Flavor;
import io.vireo.model.Image;
import io.vireo.model.ImageContent;
import io.vireo.model.ImageFormat;
import io.vireo.model.ImageStatus;
import io.vireo.model.Resources;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contracts of {@link FlavorRepository} and {@link ImageRepository}. */
interface CatalogContract extends StoreContract {

    @Test
    default void flavorsAreCreatedFoundListedAndDeletedByName() {
        Flavor large =
                store().flavors().create(new Flavor(UUID.randomUUID(), "large", T0, new Resources(8, 32_768, 400)));
        Flavor small = flavor();

        assertThat(store().flavors().find(large.id())).contains(large);
        assertThat(store().flavors().findByName("small")).contains(small);
        assertThat(store().flavors().list()).containsExactly(large, small);
        assertThat(store().flavors().delete("large")).isEqualTo(CatalogDeletion.DELETED);
        assertThat(store().flavors().delete("large")).isEqualTo(CatalogDeletion.NOT_FOUND);
        assertThat(store().flavors().list()).containsExactly(small);
        assertThat(store().flavors().find(large.id())).isEmpty();
    }

    @Test
    default void flavorNamesAreUnique() {
        assertError(
                ErrorCode.ALREADY_EXISTS,
                () -> store().flavors().create(new Flavor(UUID.randomUUID(), "small", T0, SMALL)));
        store().flavors().delete("small");
        assertThat(store().flavors()
                        .create(new Flavor(UUID.randomUUID(), "small", at(1), SMALL))
                        .createdAt())
                .isEqualTo(at(1));
    }

    @Test
    default void imagesAreCreatedFoundListedAndDeletedPerProject() {
        Image cirros = image();
        Image alpine = store().images().create(new Image(UUID.randomUUID(), ADMIN, "alpine", T0, ImageFormat.RAW, 42));
        Image elsewhere = store().images()
                .create(new Image(UUID.randomUUID(), OTHER_PROJECT, "cirros", T0, ImageFormat.KERNEL_INITRD, 7));

        assertThat(store().images().find(elsewhere.id())).contains(elsewhere);
        assertThat(store().images().findByName(ADMIN, "cirros")).contains(cirros);
        assertThat(store().images().findByName(OTHER_PROJECT, "cirros")).contains(elsewhere);
        assertThat(store().images().list(ADMIN)).containsExactly(alpine, cirros);
        assertThat(store().images().delete(OTHER_PROJECT, "alpine")).isEqualTo(CatalogDeletion.NOT_FOUND);
        assertThat(store().images().delete(ADMIN, "cirros")).isEqualTo(CatalogDeletion.DELETED);
        assertThat(store().images().list(ADMIN)).containsExactly(alpine);
        assertThat(store().images().list(OTHER_PROJECT)).containsExactly(elsewhere);
    }

    @Test
    default void imageNamesAreUniqueWithinAProject() {
        assertError(
                ErrorCode.ALREADY_EXISTS,
                () -> store().images().create(new Image(UUID.randomUUID(), ADMIN, "cirros", T0, ImageFormat.RAW, 1)));
        assertThat(store().images().list(ADMIN)).containsExactly(image());
    }

    @Test
    default void imageContentChangesOnlyFromTheExpectedStatus() {
        String digest = "ab".repeat(32);
        Image pending = store().images()
                .create(new Image(
                        UUID.randomUUID(), ADMIN, "upload", T0, ImageFormat.QCOW2, 0, ImageContent.pending(digest)));
        assertThat(store().images().find(pending.id())).contains(pending);

        UUID uploadId = UUID.randomUUID();
        Image uploading = store().images()
                .startUpload(ImageStatus.PENDING, upload(pending.id(), uploadId, T0))
                .orElseThrow();
        assertThat(uploading.content().status()).isEqualTo(ImageStatus.UPLOADING);
        assertThat(store().images().startUpload(ImageStatus.PENDING, upload(pending.id(), UUID.randomUUID(), T0)))
                .isEmpty();

        Image active = store().images()
                .finishUpload(pending.id(), uploadId, uploading.content().active(digest), 4096)
                .orElseThrow();
        assertThat(active.usable()).isTrue();
        assertThat(active.sizeBytes()).isEqualTo(4096);
        assertThat(active.content()).isEqualTo(new ImageContent(ImageStatus.ACTIVE, digest, digest, ""));
        assertThat(store().images().findByName(ADMIN, "upload")).contains(active);
        assertThat(store().images().updateContent(UUID.randomUUID(), ImageStatus.ACTIVE, active.content(), 1))
                .isEmpty();

        Image rejected = store().images()
                .updateContent(
                        pending.id(), ImageStatus.ACTIVE, active.content().rejected("has a backing file"), 0)
                .orElseThrow();
        assertThat(rejected.content().reason()).isEqualTo("has a backing file");
        assertThat(rejected.usable()).isFalse();
        assertThat(store().images().find(pending.id())).contains(rejected);
    }

    @Test
    default void anUploadIsRenewedAndFinishedOnlyByItsOwnUploadId() {
        Image pending = store().images()
                .create(new Image(
                        UUID.randomUUID(), ADMIN, "upload", T0, ImageFormat.QCOW2, 0, ImageContent.pending(null)));
        UUID first = UUID.randomUUID();
        assertThat(store().images().startUpload(ImageStatus.PENDING, upload(pending.id(), first, T0)))
                .isPresent();

        assertThat(store().images().uploads()).containsExactly(upload(pending.id(), first, T0));
        assertThat(store().images().renewUpload(pending.id(), first, at(30))).isTrue();
        assertThat(store().images().renewUpload(pending.id(), UUID.randomUUID(), at(40)))
                .isFalse();
        assertThat(store().images().uploads())
                .containsExactly(new ImageRepository.Upload(pending.id(), first, OWNER, T0, at(30)));

        Image interrupted = store().images()
                .finishUpload(pending.id(), first, pending.content().interrupted("the server stopped"), 0)
                .orElseThrow();
        assertThat(interrupted.content().status()).isEqualTo(ImageStatus.PENDING);
        assertThat(interrupted.content().reason()).isEqualTo("the server stopped");
        assertThat(store().images().uploads()).isEmpty();
        assertThat(store().images().renewUpload(pending.id(), first, at(50))).isFalse();

        UUID second = UUID.randomUUID();
        assertThat(store().images().startUpload(ImageStatus.PENDING, upload(pending.id(), second, at(60))))
                .isPresent();
        assertThat(store().images()
                        .finishUpload(pending.id(), first, pending.content().active("cd".repeat(32)), 9))
                .as("the first, reclaimed upload changes nothing any more")
                .isEmpty();
        assertThat(store().images().storedImageIds()).doesNotContain(pending.id());
        Image active = store().images()
                .finishUpload(pending.id(), second, pending.content().active("cd".repeat(32)), 9)
                .orElseThrow();
        assertThat(active.usable()).isTrue();
        assertThat(store().images().storedImageIds()).containsExactly(pending.id());
        assertThat(store().images().delete(ADMIN, "upload")).isEqualTo(CatalogDeletion.DELETED);
        assertThat(store().images().storedImageIds()).isEmpty();
    }

    @Test
    default void deletingAnUploadingImageEndsItsUpload() {
        Image pending = store().images()
                .create(new Image(
                        UUID.randomUUID(), ADMIN, "upload", T0, ImageFormat.RAW, 0, ImageContent.pending(null)));
        UUID uploadId = UUID.randomUUID();
        assertThat(store().images().startUpload(ImageStatus.PENDING, upload(pending.id(), uploadId, T0)))
                .isPresent();

        assertThat(store().images().delete(ADMIN, "upload")).isEqualTo(CatalogDeletion.DELETED);
        assertThat(store().images().uploads()).isEmpty();
        assertThat(store().images().renewUpload(pending.id(), uploadId, at(1))).isFalse();
    }

    UUID OWNER = UUID.fromString("00000000-0000-0000-0000-00000000000a");

    private static ImageRepository.Upload upload(UUID imageId, UUID uploadId, java.time.Instant at) {
        return new ImageRepository.Upload(imageId, uploadId, OWNER, at, at);
    }
}
