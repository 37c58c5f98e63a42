package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.model.Flavor;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
import io.vireo.model.PlacementConstraints;
import io.vireo.model.Vm;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A flavor or an image is not deleted while a VM that is not DELETED was made from it, and a VM is not created from
 * one that is gone, also when a create and a delete race (ADR 12).
 */
interface CatalogInUseContract extends StoreContract {
    /** Rounds of the create-and-delete race; each round races fresh rows. */
    int RACE_ROUNDS = 20;

    /** Threads creating VMs in each round, besides the one deleting. */
    int RACE_CREATORS = 3;

    @Test
    default void aFlavorOrImageInUseIsNotDeletedUntilItsVmsAreDeleted() {
        Vm web = createVm("web");
        Vm db = createVm("db");

        assertThat(store().flavors().delete("small")).isEqualTo(new CatalogDeletion.InUse(2));
        assertThat(store().images().delete(ADMIN, "cirros")).isEqualTo(new CatalogDeletion.InUse(2));
        assertThat(store().flavors().find(flavor().id())).contains(flavor());
        assertThat(store().images().find(image().id())).contains(image());

        store().claims().releaseAndMarkDeleted(web.id(), at(1));
        assertThat(store().flavors().delete("small")).isEqualTo(new CatalogDeletion.InUse(1));
        store().claims().releaseAndMarkDeleted(db.id(), at(2));

        assertThat(store().flavors().delete("small")).isEqualTo(CatalogDeletion.DELETED);
        assertThat(store().images().delete(ADMIN, "cirros")).isEqualTo(CatalogDeletion.DELETED);
        assertThat(store().flavors().find(flavor().id())).isEmpty();
        assertThat(store().images().find(image().id())).isEmpty();
    }

    @Test
    default void aVmIsNotCreatedFromAFlavorOrImageThatIsGone() {
        Flavor large = store().flavors().create(new Flavor(UUID.randomUUID(), "large", T0, SMALL));
        Image debian = store().images().create(new Image(UUID.randomUUID(), ADMIN, "debian", T0, ImageFormat.RAW, 1));
        store().flavors().delete("large");
        store().images().delete(ADMIN, "debian");

        assertError(ErrorCode.NOT_FOUND, () -> store().vms().create(vm("web", large, image()), null));
        assertError(ErrorCode.NOT_FOUND, () -> store().vms().create(vm("web", flavor(), debian), null));
        assertError(
                ErrorCode.NOT_FOUND,
                () -> store().vms()
                        .createGang(List.of(vm("web-1", large, image()), vm("web-2", large, image())), null));

        assertThat(store().vms().listPending(10)).isEmpty();
    }

    /**
     * Creates and a delete of the same flavor (or image) at once, many times: whatever the interleaving, a deleted one
     * has no live VM made from it, and a create either made its VM from a row that still exists or was refused.
     */
    @Test
    default void aDeleteRacingCreatesNeverLeavesAVmWithoutItsFlavorOrImage() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(RACE_CREATORS + 1);
        try {
            for (int round = 0; round < RACE_ROUNDS; round++) {
                boolean image = round % 2 == 1;
                Flavor flavor = image
                        ? flavor()
                        : store().flavors().create(new Flavor(UUID.randomUUID(), "f" + round, T0, SMALL));
                Image from = image
                        ? store().images()
                                .create(new Image(UUID.randomUUID(), ADMIN, "i" + round, T0, ImageFormat.RAW, 1))
                        : image();
                raceOneRound(executor, round, flavor, from, image);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private void raceOneRound(ExecutorService executor, int round, Flavor flavor, Image image, boolean deleteImage)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(RACE_CREATORS + 1);
        List<Future<Vm>> creates = new ArrayList<>();
        for (int i = 0; i < RACE_CREATORS; i++) {
            String name = "r" + round + "-" + i;
            creates.add(executor.submit(() -> {
                start.await();
                return store().vms().create(vm(name, flavor, image), null);
            }));
        }
        Future<CatalogDeletion> deletion = executor.submit(() -> {
            start.await();
            return deleteImage
                    ? store().images().delete(ADMIN, image.name())
                    : store().flavors().delete(flavor.name());
        });
        long created = 0;
        for (Future<Vm> create : creates) {
            try {
                create.get(30, TimeUnit.SECONDS);
                created++;
            } catch (ExecutionException e) {
                assertThat(e.getCause())
                        .isInstanceOfSatisfying(
                                VireoException.class,
                                refused -> assertThat(refused.code()).isEqualTo(ErrorCode.NOT_FOUND));
            }
        }
        long made = created;
        CatalogDeletion outcome = deletion.get(30, TimeUnit.SECONDS);
        boolean gone = deleteImage
                ? store().images().find(image.id()).isEmpty()
                : store().flavors().find(flavor.id()).isEmpty();
        assertThat(gone).as("round %d: %s", round, outcome).isEqualTo(outcome instanceof CatalogDeletion.Deleted);
        if (gone) {
            assertThat(created)
                    .as("round %d: deleted, yet VMs were made from it", round)
                    .isZero();
        } else {
            // refused for the VMs committed before its count; creates after it may have made more
            assertThat(outcome)
                    .as("round %d", round)
                    .isInstanceOfSatisfying(
                            CatalogDeletion.InUse.class,
                            inUse -> assertThat(inUse.vms()).isBetween(1L, made));
        }
    }

    private Vm vm(String name, Flavor flavor, Image image) {
        return Vm.create(UUID.randomUUID(), ADMIN, name, T0, flavor, image, PlacementConstraints.NONE);
    }
}
