package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.ErrorCode;
import io.vireo.model.Flavor;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
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
}
