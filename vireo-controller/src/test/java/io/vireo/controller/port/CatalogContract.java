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
        Flavor small = store().flavors().create(flavor());

        assertThat(store().flavors().find(large.id())).contains(large);
        assertThat(store().flavors().findByName("small")).contains(small);
        assertThat(store().flavors().list()).containsExactly(large, small);
        assertThat(store().flavors().delete("large")).isTrue();
        assertThat(store().flavors().delete("large")).isFalse();
        assertThat(store().flavors().list()).containsExactly(small);
        assertThat(store().flavors().find(large.id())).isEmpty();
    }

    @Test
    default void flavorNamesAreUnique() {
        store().flavors().create(flavor());

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
        Image cirros = store().images().create(image());
        Image alpine = store().images().create(new Image(UUID.randomUUID(), ADMIN, "alpine", T0, ImageFormat.RAW, 42));
        Image elsewhere = store().images()
                .create(new Image(UUID.randomUUID(), OTHER_PROJECT, "cirros", T0, ImageFormat.KERNEL_INITRD, 7));

        assertThat(store().images().find(elsewhere.id())).contains(elsewhere);
        assertThat(store().images().findByName(ADMIN, "cirros")).contains(cirros);
        assertThat(store().images().findByName(OTHER_PROJECT, "cirros")).contains(elsewhere);
        assertThat(store().images().list(ADMIN)).containsExactly(alpine, cirros);
        assertThat(store().images().delete(OTHER_PROJECT, "alpine")).isFalse();
        assertThat(store().images().delete(ADMIN, "cirros")).isTrue();
        assertThat(store().images().list(ADMIN)).containsExactly(alpine);
        assertThat(store().images().list(OTHER_PROJECT)).containsExactly(elsewhere);
    }

    @Test
    default void imageNamesAreUniqueWithinAProject() {
        store().images().create(image());

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

        Image uploading = store().images()
                .updateContent(
                        pending.id(), ImageStatus.PENDING, pending.content().uploading(), 0)
                .orElseThrow();
        assertThat(uploading.content().status()).isEqualTo(ImageStatus.UPLOADING);
        assertThat(store().images()
                        .updateContent(
                                pending.id(),
                                ImageStatus.PENDING,
                                pending.content().uploading(),
                                0))
                .isEmpty();

        Image active = store().images()
                .updateContent(
                        pending.id(), ImageStatus.UPLOADING, uploading.content().active(digest), 4096)
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
}
