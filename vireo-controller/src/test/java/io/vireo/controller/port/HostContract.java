package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.ErrorCode;
import io.vireo.model.Host;
import io.vireo.model.HostDrain;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract of {@link HostRepository}. */
interface HostContract extends StoreContract {

    @Test
    default void registeringANewHostStartsItUpWithNothingAllocated() {
        Host host = register("host-a");

        assertThat(host.name()).isEqualTo("host-a");
        assertThat(host.state()).isEqualTo(HostState.UP);
        assertThat(host.capacity()).isEqualTo(HOST_CAPACITY);
        assertThat(host.allocated()).isEqualTo(Resources.ZERO);
        assertThat(host.resourceGeneration()).isEqualTo(1);
        assertThat(host.capabilities()).containsExactly("kvm");
        assertThat(host.driver()).isEqualTo("fake");
        assertThat(host.createdAt()).isEqualTo(T0);
        assertThat(host.lastHeartbeatAt()).isEqualTo(T0);
        assertThat(host.usage()).isEqualTo(HostUsage.NONE);
        assertThat(store().hosts().find(host.id())).contains(host);
    }

    @Test
    default void reRegisteringKeepsIdAndAllocationsAndTakesTheNewInventory() {
        Host host = register("host-a");
        placedVm("web", host);
        store().hosts().recordHeartbeat(host.id(), new HostUsage(12.5, 900, 9, 1), at(2));
        Host before = reload(host);
        store().hosts().updateState(host.id(), HostState.DOWN);

        Resources bigger = new Resources(16, 32_768, 400);
        Host after =
                store().hosts().register(new HostRegistration("host-a", bigger, List.of("kvm", "ssd"), "qemu"), at(3));

        assertThat(after.id()).isEqualTo(host.id());
        assertThat(after.createdAt()).isEqualTo(T0);
        assertThat(after.state()).isEqualTo(HostState.UP);
        assertThat(after.capacity()).isEqualTo(bigger);
        assertThat(after.allocated()).isEqualTo(SMALL);
        assertThat(after.resourceGeneration()).isEqualTo(before.resourceGeneration() + 1);
        assertThat(after.capabilities()).containsExactly("kvm", "ssd");
        assertThat(after.driver()).isEqualTo("qemu");
        assertThat(after.lastHeartbeatAt()).isEqualTo(at(3));
        assertThat(after.usage()).isEqualTo(before.usage());
        assertThat(store().hosts().list()).containsExactly(after);
    }

    @Test
    default void reRegisteringKeepsAHostInMaintenance() {
        Host host = register("host-a");
        store().hosts().updateState(host.id(), HostState.MAINTENANCE);

        assertThat(register("host-a").state()).isEqualTo(HostState.MAINTENANCE);
    }

    @Test
    default void reRegisteringWithLessCapacityThanIsAllocatedIsAConflict() {
        Host host = register("host-a");
        placedVm("web", host);
        Host before = reload(host);

        assertError(
                ErrorCode.CONFLICT,
                () -> store().hosts()
                        .register(
                                new HostRegistration("host-a", new Resources(8, 512, 200), List.of(), "fake"), at(3)));
        assertThat(reload(host)).isEqualTo(before);
    }

    @Test
    default void hostsAreFoundByIdAndNameAndListedByName() {
        Host b = register("host-b");
        Host a = register("host-a");
        Host c = register("host-c");

        assertThat(store().hosts().list()).containsExactly(a, b, c);
        assertThat(store().hosts().findByName("host-b")).contains(b);
        assertThat(store().hosts().findByName("host-x")).isEmpty();
        assertThat(store().hosts().find(UUID.randomUUID())).isEmpty();
    }

    @Test
    default void aHeartbeatRecordsUsageAndTimeButNotTheResourceGeneration() {
        Host host = register("host-a");
        HostUsage usage = new HostUsage(37.25, 4096, 50, 3);

        store().hosts().recordHeartbeat(host.id(), usage, at(10));
        store().hosts().recordHeartbeat(UUID.randomUUID(), usage, at(10));

        Host after = reload(host);
        assertThat(after.usage()).isEqualTo(usage);
        assertThat(after.lastHeartbeatAt()).isEqualTo(at(10));
        assertThat(after.resourceGeneration()).isEqualTo(host.resourceGeneration());
        assertThat(store().hosts().list()).hasSize(1);
    }

    @Test
    default void updateStateChangesOnlyTheState() {
        Host host = register("host-a");

        store().hosts().updateState(host.id(), HostState.MAINTENANCE);
        store().hosts().updateState(UUID.randomUUID(), HostState.DOWN);

        assertThat(reload(host).state()).isEqualTo(HostState.MAINTENANCE);
        assertThat(reload(host).resourceGeneration()).isEqualTo(host.resourceGeneration());
    }

    @Test
    default void aHostHasAtMostOneDrainAndItStaysUntilEnded() {
        Host first = register("host-a");
        Host second = register("host-b");
        HostDrain drain = new HostDrain(second.id(), "corr-drain", at(2));

        assertThat(store().hosts().startDrain(drain)).isTrue();
        assertThat(store().hosts().startDrain(new HostDrain(second.id(), "corr-other", at(3))))
                .as("a second drain of the same host changes nothing")
                .isFalse();
        assertThat(store().hosts().startDrain(new HostDrain(first.id(), "corr-first", at(4))))
                .isTrue();
        assertThat(store().hosts().startDrain(new HostDrain(UUID.randomUUID(), "corr-none", at(4))))
                .as("an unknown host")
                .isFalse();

        assertThat(store().hosts().drains())
                .as("oldest first")
                .containsExactly(drain, new HostDrain(first.id(), "corr-first", at(4)));
        assertThat(store().hosts().endDrain(second.id())).isTrue();
        assertThat(store().hosts().endDrain(second.id())).isFalse();
        assertThat(store().hosts().drains()).extracting(HostDrain::hostId).containsExactly(first.id());
    }

    @Test
    default void aDeletedHostIsFoundListedChangedAndClaimedNoMore() {
        Host host = register("host-a");
        Host other = register("host-b");
        store().hosts().updateState(host.id(), HostState.MAINTENANCE);
        Host before = reload(host);

        assertThat(store().hosts().delete(host.id(), at(5))).isEqualTo(new HostDeletion.Deleted(before));

        assertThat(store().hosts().find(host.id())).isEmpty();
        assertThat(store().hosts().findByName("host-a")).isEmpty();
        assertThat(store().hosts().list()).containsExactly(other);
        assertThat(store().hosts().delete(host.id(), at(6)))
                .as("deleting twice")
                .isEqualTo(HostDeletion.NOT_FOUND);
        assertThat(store().hosts().delete(UUID.randomUUID(), at(6))).isEqualTo(HostDeletion.NOT_FOUND);
        Vm vm = createVm("web");
        assertThat(claimPlacement(vm.id(), host.id(), before.resourceGeneration(), vm.resources(), at(7)))
                .as("no claim lands on a deleted host, even at the generation it had")
                .isEqualTo(new ClaimResult.HostChanged(host.id()));
        assertThat(reload(vm).hostId()).isNull();
        assertThat(store().hosts().transition(host.id(), HostState.MAINTENANCE, HostState.UP))
                .isFalse();
        store().hosts().updateState(host.id(), HostState.UP);
        store().hosts().recordHeartbeat(host.id(), new HostUsage(1, 1, 1, 0), at(8));
        store().hosts().recordLeaseRenewals(List.of(host.id()), at(8));
        assertThat(store().hosts().leaseAges(at(9))).doesNotContainKey(host.id());
        assertThat(store().hosts().startDrain(new HostDrain(host.id(), "corr", at(8))))
                .isFalse();
        assertError(
                ErrorCode.NOT_FOUND,
                () -> store().hosts().setCapacityPolicy(host.id(), io.vireo.model.CapacityPolicy.NONE));
        assertThat(store().hosts().list()).containsExactly(other);
    }

    @Test
    default void aDeletedHostsNameIsFreeForANewHostAndItsIdForNone() {
        Host old = register("host-a");
        store().hosts().updateState(old.id(), HostState.DOWN);
        assertThat(store().hosts().delete(old.id(), at(5))).isInstanceOf(HostDeletion.Deleted.class);

        Host again = store().hosts().register(new HostRegistration("host-a", HOST_CAPACITY, List.of(), "fake"), at(6));
        assertThat(again.id()).as("a new host").isNotEqualTo(old.id());
        assertThat(again.state()).isEqualTo(HostState.UP);
        assertThat(again.createdAt()).isEqualTo(at(6));
        assertThat(store().hosts().findByName("host-a")).contains(again);
        assertError(
                ErrorCode.CONFLICT,
                () -> store().hosts()
                        .register(
                                old.id(),
                                new HostRegistration("host-z", HOST_CAPACITY, List.of(), "fake"),
                                io.vireo.model.CapacityPolicy.NONE,
                                at(7)));
        assertThat(store().hosts().find(old.id()))
                .as("a deleted id is not registered again")
                .isEmpty();

        UUID enrolled = UUID.randomUUID();
        store().hosts().updateState(again.id(), HostState.FENCED);
        assertThat(store().hosts().delete(again.id(), at(8))).isInstanceOf(HostDeletion.Deleted.class);
        Host third = store().hosts()
                .register(
                        enrolled,
                        new HostRegistration("host-a", HOST_CAPACITY, List.of(), "fake"),
                        io.vireo.model.CapacityPolicy.NONE,
                        at(9));
        assertThat(third.id())
                .as("enrolled again under the name, with a new id")
                .isEqualTo(enrolled);
        assertThat(store().hosts().list()).containsExactly(third);
    }

    @Test
    default void aHostWithAVmOrADrainIsNotDeletedAndNothingChanges() {
        Host host = register("host-a");
        Vm web = placedVm("web", host);
        Vm db = placedVm("db", host);
        store().hosts().updateState(host.id(), HostState.MAINTENANCE);
        assertThat(store().hosts().startDrain(new HostDrain(host.id(), "corr-drain", at(2))))
                .isTrue();
        Host before = reload(host);

        assertThat(store().hosts().delete(host.id(), at(3)))
                .isEqualTo(new HostDeletion.Blocked(before, 2, List.of("db", "web"), 0, true, 0, List.of()));
        assertThat(reload(host)).as("nothing changed").isEqualTo(before);
        assertThat(store().hosts().findByName("host-a")).contains(before);

        store().claims().releaseAndMarkDeleted(web.id(), at(4));
        store().claims().releaseAndMarkDeleted(db.id(), at(4));
        assertThat(store().hosts().delete(host.id(), at(5)))
                .as("a DELETED VM stands in the way no more, but the drain does")
                .isEqualTo(new HostDeletion.Blocked(reload(host), 0, List.of(), 0, true, 0, List.of()));

        store().hosts().endDrain(host.id());
        assertThat(store().hosts().delete(host.id(), at(6))).isInstanceOf(HostDeletion.Deleted.class);
        assertThat(store().vms().find(web.id()))
                .as("the history that names the host stays")
                .hasValueSatisfying(vm -> assertThat(vm.hostId()).isEqualTo(host.id()));
    }

    @Test
    default void onlyAHostInMaintenanceDownOrFencedIsDeleted() {
        for (HostState state : HostState.values()) {
            Host host = register("host-" + state.name().toLowerCase(java.util.Locale.ROOT));
            store().hosts().updateState(host.id(), state);
            HostDeletion deletion = store().hosts().delete(host.id(), at(2));
            if (state == HostState.UP || state == HostState.SUSPECT) {
                assertThat(deletion)
                        .as(state.name())
                        .isEqualTo(new HostDeletion.Blocked(reload(host), 0, List.of(), 0, false, 0, List.of()));
                assertThat(((HostDeletion.Blocked) deletion).wrongState()).isTrue();
            } else {
                assertThat(deletion).as(state.name()).isInstanceOf(HostDeletion.Deleted.class);
            }
        }
        assertThat(store().hosts().list()).extracting(Host::name).containsExactly("host-suspect", "host-up");
    }

    /**
     * A deletion racing claims onto the host, round after round: whichever wins, a deleted host has no VM placed on it,
     * and a refused deletion saw every VM that was placed before it.
     */
    @Test
    default void aVmIsNeverPlacedOnAHostBeingDeleted() throws Exception {
        int rounds = 12;
        int claimers = 3;
        ExecutorService executor = Executors.newFixedThreadPool(claimers + 1);
        try {
            for (int round = 0; round < rounds; round++) {
                Host host = register("race-" + round);
                store().hosts().updateState(host.id(), HostState.MAINTENANCE); // claims do not look at the state
                List<Vm> vms = new ArrayList<>();
                for (int i = 0; i < claimers; i++) {
                    vms.add(createVm("race-" + round + "-" + i));
                }
                CyclicBarrier start = new CyclicBarrier(claimers + 1);
                List<Future<?>> claims = new ArrayList<>();
                for (Vm vm : vms) {
                    claims.add(executor.submit(() -> {
                        start.await();
                        for (int attempt = 0; attempt < 10; attempt++) {
                            Optional<Host> current = store().hosts().find(host.id());
                            if (current.isEmpty()
                                    || !(claimPlacement(
                                                    vm.id(),
                                                    host.id(),
                                                    current.get().resourceGeneration(),
                                                    vm.resources(),
                                                    at(1))
                                            instanceof ClaimResult.HostChanged)) {
                                return null;
                            }
                        }
                        return null;
                    }));
                }
                Future<HostDeletion> deletion = executor.submit(() -> {
                    start.await();
                    return store().hosts().delete(host.id(), at(2));
                });
                for (Future<?> claim : claims) {
                    claim.get(60, TimeUnit.SECONDS);
                }
                HostDeletion outcome = deletion.get(60, TimeUnit.SECONDS);
                long placed = vms.stream()
                        .filter(vm -> host.id().equals(reload(vm).hostId()))
                        .count();
                switch (outcome) {
                    case HostDeletion.Deleted deleted ->
                        assertThat(placed)
                                .as("round %d: VMs on the deleted host", round)
                                .isZero();
                    case HostDeletion.Blocked blocked -> {
                        assertThat(blocked.vms()).as("round %d", round).isPositive();
                        assertThat(placed).as("round %d", round).isGreaterThanOrEqualTo(blocked.vms());
                    }
                    case HostDeletion.NotFound notFound -> throw new AssertionError("round " + round + ": not found");
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
