package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.vireo.model.Flavor;
import io.vireo.model.GuestSpec;
import io.vireo.model.Host;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
import io.vireo.model.Migration;
import io.vireo.model.MigrationState;
import io.vireo.model.PlacementConstraints;
import io.vireo.model.Resources;
import io.vireo.model.ServerGroup;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.model.Volume;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
        store.flavors().create(flavor); // the VMs of the tests are made from these
        store.images().create(image);
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

    /** A migration's destination claimed through the one claim path, as the migration service claims it. */
    private ClaimResult claimMigration(Migration migration, long expectedDestinationGeneration) {
        return store.claims()
                .claim(ClaimRequest.of(
                        new VmTransition.HoldForMigration(migration),
                        expectedDestinationGeneration,
                        migration.requestedAt()));
    }

    @Test
    void neitherHostOfAMigrationInFlightIsDeletedAndTheHistoryOutlivesThem() {
        Host source = register("source");
        Host destination = register("destination");
        Vm vm = placedVm("vm", source);
        Migration migration = Migration.requested(UUID.randomUUID(), vm, destination.id(), "corr", at(2));
        assertThat(claimMigration(migration, reload(destination).resourceGeneration()))
                .isInstanceOf(ClaimResult.Claimed.class);
        store.hosts().updateState(destination.id(), io.vireo.model.HostState.MAINTENANCE);

        assertThat(store.hosts().delete(destination.id(), at(3)))
                .as("the destination holds the VM's resources and is about to run it")
                .isEqualTo(new HostDeletion.Blocked(reload(destination), 0, List.of(), 1, false, 0, List.of()));

        assertThat(migrations.fail(migration.id(), "the operator changed their mind", at(4)))
                .isTrue();
        assertThat(store.hosts().delete(destination.id(), at(5))).isInstanceOf(HostDeletion.Deleted.class);
        assertThat(migrations.find(migration.id()))
                .as("a deleted host's migrations stay, naming it")
                .hasValueSatisfying(m -> assertThat(m.destinationHostId()).isEqualTo(destination.id()));
    }

    @Test
    void aCompletedMigrationMovesTheVmAndItsAllocationInOneStep() {
        Host source = register("source");
        Host destination = register("destination");
        Vm vm = placedVm("vm", source);
        Migration migration = Migration.requested(UUID.randomUUID(), vm, destination.id(), "corr", at(2));

        assertThat(claimMigration(migration, reload(destination).resourceGeneration()))
                .as("the destination as written")
                .isEqualTo(new ClaimResult.Claimed(List.of(reload(destination))));
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
    void theVolumesOfAMigratedVmHoldTheirDataOnTheDestination() {
        Host source = register("source");
        Host destination = register("destination");
        Volume data = store.volumes().create(new Volume(UUID.randomUUID(), ADMIN, "data", T0, 2, null, true, null));
        Volume logs = store.volumes().create(new Volume(UUID.randomUUID(), ADMIN, "logs", T0, 1, null, true, null));
        GuestSpec guest = new GuestSpec(List.of(), null, List.of(data.attachment(true), logs.attachment(false)));
        Vm created = store.vms()
                .create(
                        Vm.create(UUID.randomUUID(), ADMIN, "vm", T0, flavor, image, PlacementConstraints.NONE, guest),
                        null);
        assertThat(claimPlacement(created.id(), source.id(), reload(source).resourceGeneration(), SMALL, at(1)))
                .isInstanceOf(ClaimResult.Claimed.class);
        Vm vm = reload(created);
        Migration failed = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(2));
        claimMigration(failed, reload(destination).resourceGeneration());
        migrations.fail(failed.id(), "test", at(3));
        assertThat(store.volumes().find(data.id()).orElseThrow().hostId())
                .as("a failed migration moves nothing")
                .isNull();
        Migration migration = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(4));
        claimMigration(migration, reload(destination).resourceGeneration());

        assertThat(migrations.complete(migration.id(), at(5))).isTrue();

        for (Volume volume : List.of(data, logs)) {
            Volume moved = store.volumes().find(volume.id()).orElseThrow();
            assertThat(moved.hostId()).as(volume.name()).isEqualTo(destination.id());
            assertThat(moved.vmId()).isEqualTo(vm.id());
            assertThat(moved.deleteOnTermination()).isEqualTo(volume == data);
        }
        store.claims().releaseAndMarkDeleted(vm.id(), at(6));
        assertThat(store.volumes().find(data.id())).as("deleted with the VM").isEmpty();
        assertThat(store.volumes().find(logs.id()).orElseThrow().hostId())
                .as("kept where the VM last was")
                .isEqualTo(destination.id());
    }

    @Test
    void aVmIsNotMarkedDeletedWhileItMigrates() {
        Host source = register("source");
        Host destination = register("destination");
        Vm vm = placedVm("vm", source);
        Migration migration = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(2));
        claimMigration(migration, reload(destination).resourceGeneration());

        assertThat(store.claims().releaseAndMarkDeleted(vm.id(), at(3))).isFalse();
        assertThat(reload(vm).state()).as("nothing changed").isEqualTo(vm.state());
        assertThat(reload(source).allocated()).isEqualTo(SMALL);
        assertThat(reload(destination).allocated()).isEqualTo(SMALL);

        assertThat(migrations.fail(migration.id(), "the destination died", at(4)))
                .isTrue();
        assertThat(store.claims().releaseAndMarkDeleted(vm.id(), at(5))).isTrue();
        assertThat(reload(vm).state()).isEqualTo(VmState.DELETED);
        assertThat(reload(source).allocated()).isEqualTo(Resources.ZERO);
        assertThat(reload(destination).allocated()).isEqualTo(Resources.ZERO);
    }

    @Test
    void failingAndRenewingRaisesTheEpochOfAVmStillOnItsSourceInTheSameStep() {
        Host source = register("source");
        Host destination = register("destination");
        Vm vm = placedVm("vm", source);
        Migration migration = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(2));
        claimMigration(migration, reload(destination).resourceGeneration());

        assertThat(migrations.failAndRenew(migration.id(), "destination lost it", at(3)))
                .isTrue();

        assertThat(reload(vm).hostId()).isEqualTo(source.id());
        assertThat(reload(vm).epoch()).isEqualTo(vm.epoch() + 1);
        assertThat(reload(destination).allocated()).isEqualTo(Resources.ZERO);
        assertThat(reload(source).allocated()).isEqualTo(SMALL);
        assertThat(migrations.find(migration.id()).orElseThrow().state()).isEqualTo(MigrationState.FAILED);
        assertThat(migrations.failAndRenew(migration.id(), "again", at(4)))
                .as("an ended migration renews nothing")
                .isFalse();
        assertThat(reload(vm).epoch()).isEqualTo(vm.epoch() + 1);
    }

    @Test
    void aFailedMigrationReleasesTheDestinationAndLeavesTheVmWhereItWas() {
        Host source = register("source");
        Host destination = register("destination");
        Vm vm = placedVm("vm", source);
        Migration migration = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(2));
        claimMigration(migration, reload(destination).resourceGeneration());

        assertThat(migrations.fail(migration.id(), "destination died", at(3))).isTrue();

        assertThat(reload(destination).allocated()).isEqualTo(Resources.ZERO);
        assertThat(reload(source).allocated()).isEqualTo(SMALL);
        assertThat(reload(vm).hostId()).isEqualTo(source.id());
        assertThat(reload(vm).epoch()).isEqualTo(vm.epoch());
        Migration failed = migrations.find(migration.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(MigrationState.FAILED);
        assertThat(failed.error()).isEqualTo("destination died");
        assertThat(migrations.listFailedSince(at(3), 10))
                .extracting(Migration::id)
                .containsExactly(migration.id());
        assertThat(migrations.listFailedSince(at(4), 10))
                .as("failed before the window")
                .isEmpty();
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
        assertThat(claimMigration(stale, generation - 1)).isEqualTo(new ClaimResult.HostChanged(destination.id()));
        assertThat(reload(destination).allocated()).isEqualTo(Resources.ZERO);
        assertThat(migrations.find(stale.id())).isEmpty();

        Migration first = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(2));
        assertThat(claimMigration(first, generation)).isInstanceOf(ClaimResult.Claimed.class);
        Migration second = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(3));
        assertThat(claimMigration(second, reload(destination).resourceGeneration()))
                .as("one migration of a VM at a time")
                .isEqualTo(new ClaimResult.VmChanged(vm.id()));
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
        assertThat(claimMigration(wrongSource, reload(source).resourceGeneration()))
                .as("the VM is not on that source")
                .isEqualTo(new ClaimResult.VmChanged(vm.id()));
    }

    @Test
    void figuresAndHistoryAreKept() {
        Host source = register("source");
        Host destination = register("destination");
        Vm vm = placedVm("vm", source);
        Migration first = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(2));
        claimMigration(first, reload(destination).resourceGeneration());
        migrations.fail(first.id(), "no", at(3));
        Migration second = Migration.requested(UUID.randomUUID(), vm, destination.id(), null, at(4));
        claimMigration(second, reload(destination).resourceGeneration());
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

    @Test
    void theMigrationsInFlightOfAPageOfVmsAreReadAtOnce() {
        Host source = register("source");
        Host destination = register("destination");
        Vm preparing = placedVm("preparing", source);
        Vm migrating = placedVm("migrating", source);
        Vm completed = placedVm("completed", source);
        Vm failed = placedVm("failed", source);
        Vm idle = placedVm("idle", source);
        Vm notAsked = placedVm("not-asked", source);
        Migration toPrepare = Migration.requested(UUID.randomUUID(), preparing, destination.id(), null, at(2));
        Migration toMigrate = Migration.requested(UUID.randomUUID(), migrating, destination.id(), null, at(2));
        Migration toComplete = Migration.requested(UUID.randomUUID(), completed, destination.id(), null, at(2));
        Migration toFail = Migration.requested(UUID.randomUUID(), failed, destination.id(), null, at(2));
        Migration elsewhere = Migration.requested(UUID.randomUUID(), notAsked, destination.id(), null, at(2));
        for (Migration migration : List.of(toPrepare, toMigrate, toComplete, toFail, elsewhere)) {
            assertThat(claimMigration(migration, reload(destination).resourceGeneration()))
                    .isInstanceOf(ClaimResult.Claimed.class);
        }
        assertThat(migrations.markMigrating(toMigrate.id(), at(3))).isTrue();
        assertThat(migrations.complete(toComplete.id(), at(4))).isTrue();
        assertThat(migrations.fail(toFail.id(), "destination died", at(4))).isTrue();

        List<Migration> inFlight = migrations.listInFlightByVms(
                List.of(preparing.id(), migrating.id(), completed.id(), failed.id(), idle.id(), UUID.randomUUID()));

        assertThat(inFlight)
                .as("in flight, and only those of the VMs asked for")
                .extracting(Migration::id, Migration::state)
                .containsExactlyInAnyOrder(
                        tuple(toPrepare.id(), MigrationState.PREPARING),
                        tuple(toMigrate.id(), MigrationState.MIGRATING));
        Migration read = inFlight.stream()
                .filter(m -> m.id().equals(toPrepare.id()))
                .findFirst()
                .orElseThrow();
        assertThat(read.sourceHostId()).isEqualTo(source.id());
        assertThat(read.destinationHostId()).isEqualTo(destination.id());
        assertThat(read.requestedAt()).isEqualTo(at(2));
        assertThat(migrations.listInFlightByVms(List.of())).isEmpty();
        assertThat(migrations.listInFlightByVms(List.of(completed.id(), failed.id())))
                .as("finished migrations are not in flight")
                .isEmpty();
    }

    @Test
    void theMigrationsInFlightAreReadForAtMostOnePageOfVms() {
        List<UUID> tooMany = new ArrayList<>();
        for (int i = 0; i <= MigrationRepository.MAX_VM_IDS; i++) {
            tooMany.add(UUID.randomUUID());
        }

        assertThat(migrations.listInFlightByVms(tooMany.subList(0, MigrationRepository.MAX_VM_IDS)))
                .isEmpty();
        assertThatThrownBy(() -> migrations.listInFlightByVms(tooMany)).isInstanceOf(IllegalArgumentException.class);
    }

    private Vm placedMember(String name, ServerGroup group, Host host) {
        PlacementConstraints constraints = new PlacementConstraints(group.id(), null, Set.of(), Set.of(), null);
        Vm vm = store.vms().create(Vm.create(UUID.randomUUID(), ADMIN, name, T0, flavor, image, constraints), null);
        assertThat(claimPlacement(vm.id(), host.id(), reload(host).resourceGeneration(), SMALL, at(1)))
                .isInstanceOf(ClaimResult.Claimed.class);
        return reload(vm);
    }

    private ServerGroup group(String name, ServerGroupPolicy policy, int maxPerHost) {
        return store.serverGroups().create(new ServerGroup(UUID.randomUUID(), ADMIN, name, T0, policy, maxPerHost));
    }

    private ClaimResult migrate(Vm vm, Host destination) {
        Migration migration = Migration.requested(UUID.randomUUID(), reload(vm), destination.id(), null, at(2));
        return claimMigration(migration, reload(destination).resourceGeneration());
    }

    @Test
    void aMigrationClaimReChecksTheGroupRuleCountingMigrationsInFlight() {
        Host h1 = register("h1");
        Host h2 = register("h2");
        Host h3 = register("h3");
        Host h4 = register("h4");
        ServerGroup anti = group("anti", ServerGroupPolicy.ANTI_AFFINITY, 1);
        Vm a = placedMember("a", anti, h1);
        Vm b = placedMember("b", anti, h2);
        Vm c = placedMember("c", anti, h3);

        assertThat(migrate(b, h1)).as("a is on h1").isEqualTo(new ClaimResult.GroupRuleBroken(anti.id(), h1.id()));
        assertThat(reload(h1).allocated()).as("nothing held").isEqualTo(SMALL);
        assertThat(migrations.listInFlight()).isEmpty();

        assertThat(migrate(c, h4)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(migrate(b, h4)).as("c is on its way to h4").isInstanceOf(ClaimResult.GroupRuleBroken.class);
        assertThat(migrate(a, h3)).as("c is still on h3").isInstanceOf(ClaimResult.GroupRuleBroken.class);
        PlacementConstraints constraints = new PlacementConstraints(anti.id(), null, Set.of(), Set.of(), null);
        Vm d = store.vms().create(Vm.create(UUID.randomUUID(), ADMIN, "d", T0, flavor, image, constraints), null);
        assertThat(claimPlacement(d.id(), h4.id(), reload(h4).resourceGeneration(), SMALL, at(3)))
                .as("a create's claim counts migrations in flight too")
                .isInstanceOf(ClaimResult.GroupRuleBroken.class);
        assertThat(reload(h4).allocated()).isEqualTo(SMALL);

        Migration inFlight = migrations.listInFlight().get(0);
        assertThat(migrations.fail(inFlight.id(), "test", at(4))).isTrue();
        assertThat(migrate(b, h4)).as("c stays on h3: h4 is free of the group").isInstanceOf(ClaimResult.Claimed.class);

        ServerGroup soft = group("soft", ServerGroupPolicy.SOFT_ANTI_AFFINITY, 1);
        Vm e = placedMember("e", soft, h1);
        Vm f = placedMember("f", soft, h2);
        assertThat(e.hostId()).isEqualTo(h1.id());
        assertThat(migrate(f, h1)).as("soft rules are the scheduler's").isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    void aMigrationAwayFromAnAffinityGroupIsRefused() {
        Host h1 = register("h1");
        Host h2 = register("h2");
        ServerGroup together = group("together", ServerGroupPolicy.AFFINITY, 1);
        Vm a = placedMember("a", together, h1);
        placedMember("b", together, h1);

        assertThat(migrate(a, h2)).isInstanceOf(ClaimResult.GroupRuleBroken.class);
        assertThat(reload(h2).allocated()).isEqualTo(Resources.ZERO);

        ServerGroup alone = group("alone", ServerGroupPolicy.AFFINITY, 1);
        Vm lone = placedMember("lone", alone, h1);
        assertThat(migrate(lone, h2)).as("a group of one may move").isInstanceOf(ClaimResult.Claimed.class);
    }

    /**
     * Seeded race: eight threads migrate members of one hard anti-affinity group (maxPerHost 1) between six hosts,
     * completing or failing each claimed migration at random, while others claim new members; after every thread ends,
     * no host holds two members, no two migrations in flight go to one host, and every allocation is its VMs plus the
     * holds of the migrations in flight.
     */
    @Test
    void migrationsNeverBreakAntiAffinityUnderARace() throws Exception {
        long seed = new SplittableRandom().nextLong();
        System.out.println("MigrationContractTest.migrationsNeverBreakAntiAffinityUnderARace seed " + seed);
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            hosts.add(register("race-" + i));
        }
        ServerGroup anti = group("anti", ServerGroupPolicy.ANTI_AFFINITY, 1);
        List<Vm> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(placedMember("m" + i, anti, hosts.get(i)));
        }
        PlacementConstraints constraints = new PlacementConstraints(anti.id(), null, Set.of(), Set.of(), null);
        List<Vm> pending = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pending.add(store.vms()
                    .create(Vm.create(UUID.randomUUID(), ADMIN, "p" + i, T0, flavor, image, constraints), null));
        }
        int threads = 8;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> racers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SplittableRandom random = new SplittableRandom(seed + t);
                racers.add(executor.submit(() -> {
                    start.await();
                    for (int step = 0; step < 60; step++) {
                        raceStep(random, hosts, members, pending);
                    }
                    return null;
                }));
            }
            for (Future<?> racer : racers) {
                racer.get(120, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        checkGroupInvariants(seed, anti, hosts);
    }

    private void raceStep(SplittableRandom random, List<Host> hosts, List<Vm> members, List<Vm> pending) {
        Host target = hosts.get(random.nextInt(hosts.size()));
        if (random.nextInt(4) == 0) {
            Vm vm = pending.get(random.nextInt(pending.size()));
            claimPlacement(vm.id(), target.id(), reload(target).resourceGeneration(), SMALL, at(5));
            return;
        }
        Vm vm = reload(members.get(random.nextInt(members.size())));
        if (vm.hostId() == null || vm.hostId().equals(target.id())) {
            return;
        }
        Migration migration = Migration.requested(UUID.randomUUID(), vm, target.id(), null, at(5));
        if (claimMigration(migration, reload(target).resourceGeneration()) instanceof ClaimResult.Claimed) {
            if (random.nextBoolean()) {
                migrations.complete(migration.id(), at(6));
            } else if (random.nextBoolean()) {
                migrations.fail(migration.id(), "race", at(6));
            } // else: left in flight, holding its destination
        }
    }

    private void checkGroupInvariants(long seed, ServerGroup group, List<Host> hosts) {
        List<Migration> inFlight = migrations.listInFlight();
        Map<UUID, Integer> membersPerHost = new HashMap<>();
        Map<UUID, Resources> expected = new HashMap<>();
        for (Host host : hosts) {
            for (Vm vm : store.vms().listByHost(host.id())) {
                expected.merge(host.id(), vm.resources(), Resources::plus);
                if (group.id().equals(vm.constraints().serverGroupId())) {
                    membersPerHost.merge(host.id(), 1, Integer::sum);
                }
            }
        }
        for (Migration m : inFlight) {
            expected.merge(m.destinationHostId(), m.resources(), Resources::plus);
            membersPerHost.merge(m.destinationHostId(), 1, Integer::sum);
        }
        assertThat(membersPerHost.values())
                .as("seed %d: members on or on their way to each host", seed)
                .allMatch(count -> count <= 1);
        for (Host host : hosts) {
            assertThat(reload(host).allocated())
                    .as("seed %d: allocation of %s", seed, host.name())
                    .isEqualTo(expected.getOrDefault(host.id(), Resources.ZERO));
        }
    }
}
