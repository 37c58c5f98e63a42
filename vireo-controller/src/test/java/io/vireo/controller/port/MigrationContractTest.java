package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.controller.port.ClaimRepository.ClaimOutcome;
import io.vireo.model.Flavor;
import io.vireo.model.Host;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
import io.vireo.model.Migration;
import io.vireo.model.MigrationState;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MigrationRepository} must do, with the claim path it shares with {@link ClaimRepository}: a VM
 * holds resources on both hosts while it migrates, and completing or failing settles them in one step. A subclass
 * supplies a fresh, empty store per test.
 */
public abstract class MigrationContractTest implements StoreContract {
    private final Flavor flavor = new Flavor(UUID.randomUUID(), "small", T0, SMALL);
    private final Image image = new Image(UUID.randomUUID(), ADMIN, "cirros", T0, ImageFormat.QCOW2, 1 << 20);
    private Repositories store;
    private MigrationRepository migrations;

    /** A fresh store; {@link #migrations()} must belong to it. */
    protected abstract Repositories newRepositories();

    protected abstract MigrationRepository migrations();

    @BeforeEach
    void setUpStore() {
        store = newRepositories();
        migrations = migrations();
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

    @Test
    void aCompletedMigrationMovesTheVmAndItsAllocationInOneStep() {
        Host source = register("source");
        Host destination = register("destination");
        Vm vm = placedVm("vm", source);
        Migration migration = Migration.requested(UUID.randomUUID(), vm, destination.id(), "corr", at(2));

        assertThat(migrations.claim(migration, reload(destination).resourceGeneration()))
                .isEqualTo(ClaimOutcome.CLAIMED);
        assertThat(reload(destination).allocated())
                .as("the destination holds the VM")
                .isEqualTo(SMALL);
        assertThat(reload(source).allocated()).as("and the source still does").isEqualTo(SMALL);
        assertThat(migrations.listInFlight()).extracting(Migration::id).containsExactly(migration.id());
        assertThat(migrations.markMigrating(migration.id(), at(3))).isTrue();
        assertThat(migrations.markMigrating(migration.id(), at(3))).isFalse();

        long destinationGeneration = reload(destination).resourceGeneration();
        assertThat(migrations.complete(migration.id(), at(4))).isTrue();

        Vm moved = reload(vm);
        assertThat(moved.hostId()).isEqualTo(destination.id());
        assertThat(moved.epoch()).isEqualTo(vm.epoch() + 1);
        assertThat(reload(source).allocated()).isEqualTo(Resources.ZERO);
        assertThat(reload(destination).allocated()).isEqualTo(SMALL);
        assertThat(reload(destination).resourceGeneration()).isGreaterThan(destinationGeneration);
        Migration done = migrations.find(migration.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(MigrationState.COMPLETED);
        assertThat(done.finishedAt()).isEqualTo(at(4));
        assertThat(done.correlationId()).isEqualTo("corr");
        assertThat(migrations.complete(migration.id(), at(5))).as("idempotent").isFalse();
        assertThat(migrations.fail(migration.id(), "late", at(5))).isFalse();
        assertThat(migrations.listInFlight()).isEmpty();

        store.claims().releaseAndMarkDeleted(vm.id(), at(6));
        assertThat(reload(destination).allocated()).isEqualTo(Resources.ZERO);
    }

    @Test
    void aFailedMigrationReleasesTheDestinationAndLeavesTheVmWhereItWas() {
        Host source = register("source");
        Host destination = register("destination");
        Vm vm = placedVm("vm", source);
        Migration migration = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(2));
        migrations.claim(migration, reload(destination).resourceGeneration());

        assertThat(migrations.fail(migration.id(), "destination died", at(3))).isTrue();

        assertThat(reload(destination).allocated()).isEqualTo(Resources.ZERO);
        assertThat(reload(source).allocated()).isEqualTo(SMALL);
        assertThat(reload(vm).hostId()).isEqualTo(source.id());
        assertThat(reload(vm).epoch()).isEqualTo(vm.epoch());
        Migration failed = migrations.find(migration.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(MigrationState.FAILED);
        assertThat(failed.error()).isEqualTo("destination died");
        assertThat(migrations.complete(migration.id(), at(4))).isFalse();
        assertThat(reload(vm).hostId()).isEqualTo(source.id());
    }

    @Test
    void aClaimIsConditionalOnTheDestinationAndTheVm() {
        Host source = register("source");
        Host destination = register("destination");
        Vm vm = placedVm("vm", source);
        long generation = reload(destination).resourceGeneration();

        Migration stale = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(2));
        assertThat(migrations.claim(stale, generation - 1)).isEqualTo(ClaimOutcome.HOST_CHANGED);
        assertThat(reload(destination).allocated()).isEqualTo(Resources.ZERO);
        assertThat(migrations.find(stale.id())).isEmpty();

        Migration first = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(2));
        assertThat(migrations.claim(first, generation)).isEqualTo(ClaimOutcome.CLAIMED);
        Migration second = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(3));
        assertThat(migrations.claim(second, reload(destination).resourceGeneration()))
                .as("one migration of a VM at a time")
                .isEqualTo(ClaimOutcome.VM_CHANGED);
        assertThat(reload(destination).allocated()).isEqualTo(SMALL);

        migrations.fail(first.id(), "test", at(4));
        Migration wrongSource = new Migration(
                UUID.randomUUID(),
                vm.id(),
                destination.id(),
                source.id(),
                MigrationState.PREPARING,
                vm.resources(),
                vm.epoch(),
                null,
                null,
                at(5),
                null,
                null);
        assertThat(migrations.claim(wrongSource, reload(source).resourceGeneration()))
                .as("the VM is not on that source")
                .isEqualTo(ClaimOutcome.VM_CHANGED);
    }

    @Test
    void figuresAndHistoryAreKept() {
        Host source = register("source");
        Host destination = register("destination");
        Vm vm = placedVm("vm", source);
        Migration first = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(2));
        migrations.claim(first, reload(destination).resourceGeneration());
        migrations.fail(first.id(), "no", at(3));
        Migration second = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(4));
        migrations.claim(second, reload(destination).resourceGeneration());
        Migration.Figures figures = new Migration.Figures(
                Duration.ofMillis(700),
                Duration.ofMillis(60),
                Duration.ofMillis(620),
                Duration.ofMillis(95),
                88L << 20);

        migrations.recordFigures(second.id(), figures);

        assertThat(migrations.listByVm(vm.id(), 10)).extracting(Migration::id).containsExactly(second.id(), first.id());
        assertThat(migrations.listByVm(vm.id(), 1)).extracting(Migration::id).containsExactly(second.id());
        assertThat(migrations.find(second.id()).orElseThrow().figures()).isEqualTo(figures);
        assertThat(migrations.find(first.id()).orElseThrow().figures()).isNull();
    }
}
