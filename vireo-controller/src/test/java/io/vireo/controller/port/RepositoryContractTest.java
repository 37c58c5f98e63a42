package io.vireo.controller.port;

import io.vireo.model.Flavor;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * The behaviour every implementation of the store ports must have, one interface of tests per port group
 * ({@link HostContract}, {@link ClaimContract} with the concurrent {@link ClaimRace}, {@link VmContract},
 * {@link EventContract}, {@link CatalogContract}, {@link ServerGroupContract} with the concurrent
 * {@link GroupClaimRace}, {@link VolumeContract}, {@link CapacityPolicyContract}, {@link GangContract} with the
 * concurrent {@link GangClaimRace}, {@link PerHostClaimContract}, {@link CatalogInUseContract}, {@link
 * AuditContract}, {@link HaContract}). A subclass supplies a fresh, empty store per test (the audit log aside, which a store may refuse to
 * empty), to which {@link #flavor()} and {@link #image()} are added.
 */
public abstract class RepositoryContractTest
        implements HostContract,
                ClaimContract,
                VmContract,
                EventContract,
                CatalogContract,
                ServerGroupContract,
                VmStatsContract,
                VolumeContract,
                CapacityPolicyContract,
                GangContract,
                PerHostClaimContract,
                CatalogInUseContract,
                AuditContract,
                HaContract {
    private final Flavor flavor = new Flavor(UUID.randomUUID(), "small", T0, SMALL);
    private final Image image = new Image(UUID.randomUUID(), ADMIN, "cirros", T0, ImageFormat.QCOW2, 1 << 20);
    private Repositories store;

    /** A new, empty store. Called before every test. */
    protected abstract Repositories newRepositories();

    @BeforeEach
    void setUpStore() {
        store = newRepositories();
        store.flavors().create(flavor); // the VMs of the tests are made from these
        store.images().create(image);
    }

    @Override
    public final Repositories store() {
        return store;
    }

    @Override
    public final Flavor flavor() {
        return flavor;
    }

    @Override
    public final Image image() {
        return image;
    }
}
