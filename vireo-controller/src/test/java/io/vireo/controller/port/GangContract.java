package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.ErrorCode;
import io.vireo.model.Host;
import io.vireo.model.PlacementConstraints;
import io.vireo.model.ServerGroup;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Gangs in the store: created all or none, claimed all or none in one transaction (capacity, generations, the hard
 * rule of their group with their own members counted), and pending VMs taken by one placement pass at a time.
 */
interface GangContract extends ServerGroupContract {
    Duration LEASE = Duration.ofSeconds(60);

    /** A gang's members named {@code base-1} … {@code base-count}, not stored. */
    default List<Vm> newGang(String base, int count, @Nullable ServerGroup group) {
        UUID gangId = UUID.randomUUID();
        PlacementConstraints constraints =
                new PlacementConstraints(group == null ? null : group.id(), null, Set.of(), Set.of(), gangId);
        List<Vm> members = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            members.add(Vm.create(UUID.randomUUID(), ADMIN, base + "-" + i, T0, flavor(), image(), constraints));
        }
        return members;
    }

    default List<Vm> createGang(String base, int count, @Nullable ServerGroup group) {
        return store().vms().createGang(newGang(base, count, group), null);
    }

    /** Member i on hosts.get(i), expecting each host's current generation, all or nothing. */
    default ClaimResult claimGang(List<Vm> gang, List<Host> hosts) {
        ClaimRequest.Builder request = ClaimRequest.allOrNothing(at(2));
        for (int i = 0; i < gang.size(); i++) {
            Host host = reload(hosts.get(i));
            request.add(new VmTransition.Place(gang.get(i).id(), host.id(), SMALL), host.resourceGeneration());
        }
        return store().claims().claim(request.build());
    }

    default void assertNothingClaimed(List<Vm> gang, List<Host> hostsBefore) {
        for (Vm vm : gang) {
            Vm now = reload(vm);
            assertThat(now.hostId()).as(vm.name()).isNull();
            assertThat(now.state()).as(vm.name()).isEqualTo(VmState.PENDING);
            assertThat(now.epoch()).as(vm.name()).isZero();
        }
        for (Host host : hostsBefore) {
            assertThat(reload(host)).isEqualTo(host);
        }
    }

    @Test
    default void aGangIsCreatedWholeAndListedInMemberOrder() {
        List<Vm> gang = createGang("web", 12, null);

        UUID gangId = java.util.Objects.requireNonNull(gang.get(0).constraints().gangId());
        assertThat(store().vms().gangMembers(gangId))
                .extracting(Vm::name)
                .containsExactly(
                        "web-1", "web-2", "web-3", "web-4", "web-5", "web-6", "web-7", "web-8", "web-9", "web-10",
                        "web-11", "web-12");
        assertThat(store().vms().gangMembers(gangId)).containsExactlyElementsOf(gang);
    }

    @Test
    default void aTakenNameCreatesNoMemberOfTheGang() {
        createVm("web-3");
        List<Vm> gang = newGang("web", 4, null);

        assertError(ErrorCode.ALREADY_EXISTS, () -> store().vms().createGang(gang, null));

        for (Vm vm : gang) {
            assertThat(store().vms().find(vm.id())).isEmpty();
        }
        assertThat(store().vms().findByName(ADMIN, "web-1")).isEmpty();
    }

    @Test
    default void anIdempotencyKeyReturnsTheGangItCreated() {
        List<Vm> first = store().vms().createGang(newGang("web", 3, null), StoreContract.key("key-1", "web x3"));

        List<Vm> again = store().vms().createGang(newGang("web", 3, null), StoreContract.key("key-1", "web x3"));

        assertThat(again).containsExactlyElementsOf(first);
        assertThat(store().vms().listPending(10)).hasSize(3);
    }

    @Test
    default void aGangsIdempotencyKeyWithAnotherRequestIsRefusedAndCreatesNothing() {
        List<Vm> first = store().vms().createGang(newGang("web", 3, null), StoreContract.key("key-1", "web x3"));

        assertError(
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
                () -> store().vms().createGang(newGang("web", 4, null), StoreContract.key("key-1", "web x4")));
        assertError(
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
                () -> store().vms().create(newVm(ADMIN, "db", T0), StoreContract.key("key-1", "db")));

        assertThat(store().vms().listPending(10)).containsExactlyInAnyOrderElementsOf(first);
    }

    @Test
    default void aGangClaimTakesEveryHostOnceAndPlacesEveryMember() {
        Host hostA = register("host-a");
        Host hostB = register("host-b");
        List<Vm> gang = createGang("web", 3, null);

        ClaimResult result = claimGang(gang, List.of(hostA, hostA, hostB));

        assertThat(result)
                .as("each host once, as written, in the order of the request")
                .isEqualTo(new ClaimResult.Claimed(List.of(reload(hostA), reload(hostB))));
        assertThat(reload(hostA).allocated()).isEqualTo(SMALL.plus(SMALL));
        assertThat(reload(hostA).resourceGeneration()).isEqualTo(hostA.resourceGeneration() + 1);
        assertThat(reload(hostB).allocated()).isEqualTo(SMALL);
        assertThat(reload(hostB).resourceGeneration()).isEqualTo(hostB.resourceGeneration() + 1);
        assertThat(gang.stream().map(this::reload).map(Vm::hostId)).containsExactly(hostA.id(), hostA.id(), hostB.id());
        assertThat(gang.stream().map(this::reload))
                .allSatisfy(vm -> assertThat(vm.state()).isEqualTo(VmState.SCHEDULED));
    }

    @Test
    default void aGangClaimWhereOneHostLacksRoomClaimsNothing() {
        Host roomy = register("host-a");
        Host nearlyFull = register("host-b");
        for (int i = 0; i < HOST_CAPACITY.vcpus() - 1; i++) {
            placedVm("filler-" + i, nearlyFull);
        }
        List<Vm> gang = createGang("web", 4, null);
        List<Host> before = List.of(reload(roomy), reload(nearlyFull));

        assertThat(claimGang(gang, List.of(roomy, roomy, nearlyFull, nearlyFull)))
                .isEqualTo(new ClaimResult.HostChanged(nearlyFull.id()));

        assertNothingClaimed(gang, before);
    }

    @Test
    default void aGangClaimOnAStaleGenerationClaimsNothing() {
        Host hostA = register("host-a");
        Host hostB = register("host-b");
        List<Vm> gang = createGang("web", 2, null);
        Host staleB = reload(hostB);
        placedVm("other", hostB);
        List<Host> before = List.of(reload(hostA), reload(hostB));
        Host currentA = reload(hostA);

        ClaimResult outcome = store().claims()
                .claim(ClaimRequest.allOrNothing(at(2))
                        .add(new VmTransition.Place(gang.get(0).id(), hostA.id(), SMALL), currentA.resourceGeneration())
                        .add(new VmTransition.Place(gang.get(1).id(), hostB.id(), SMALL), staleB.resourceGeneration())
                        .build());

        assertThat(outcome).isEqualTo(new ClaimResult.HostChanged(hostB.id()));
        assertNothingClaimed(gang, before);
    }

    @Test
    default void aGangWithAMemberGoneClaimsNothing() {
        Host host = register("host-a");
        List<Vm> gang = createGang("web", 3, null);
        store().claims().releaseAndMarkDeleted(gang.get(1).id(), at(1));
        Host before = reload(host);

        assertThat(claimGang(gang, List.of(host, host, host)))
                .isEqualTo(new ClaimResult.VmChanged(gang.get(1).id()));

        assertThat(reload(host)).isEqualTo(before);
        assertThat(reload(gang.get(0)).hostId()).isNull();
        assertThat(reload(gang.get(2)).hostId()).isNull();
    }

    @Test
    default void antiAffinityCountsTheGangsOwnMembers() {
        Host hostA = register("host-a");
        Host hostB = register("host-b");
        ServerGroup group = group(ADMIN, "web", ServerGroupPolicy.ANTI_AFFINITY, 1);
        Vm earlier = member("earlier", group);
        assertThat(claim(earlier, hostB)).isInstanceOf(ClaimResult.Claimed.class);
        List<Vm> gang = createGang("web", 2, group);
        List<Host> before = List.of(reload(hostA), reload(hostB));

        assertThat(claimGang(gang, List.of(hostA, hostA)))
                .isEqualTo(new ClaimResult.GroupRuleBroken(group.id(), hostA.id()));
        assertNothingClaimed(gang, before);
        assertThat(claimGang(gang, List.of(hostA, hostB)))
                .isEqualTo(new ClaimResult.GroupRuleBroken(group.id(), hostB.id()));
        assertNothingClaimed(gang, before);

        Host hostC = register("host-c");
        assertThat(claimGang(gang, List.of(hostA, hostC))).isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    default void affinityKeepsTheWholeGangOnOneHost() {
        Host hostA = register("host-a");
        Host hostB = register("host-b");
        ServerGroup group = group(ADMIN, "db", ServerGroupPolicy.AFFINITY, 1);
        List<Vm> gang = createGang("db", 3, group);
        List<Host> before = List.of(reload(hostA), reload(hostB));

        assertThat(claimGang(gang, List.of(hostA, hostB, hostA))).isInstanceOf(ClaimResult.GroupRuleBroken.class);
        assertNothingClaimed(gang, before);

        assertThat(claimGang(gang, List.of(hostB, hostB, hostB))).isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    default void twoPlacementPassesTakeDisjointPendingVms() {
        List<Vm> singles = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            singles.add(store().vms().create(newVm(ADMIN, "vm-" + i, at(i)), null));
        }
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        List<Vm> a = store().vms().takePending(first, 4, LEASE, at(10));
        List<Vm> b = store().vms().takePending(second, 4, LEASE, at(10));

        assertThat(a).containsExactlyElementsOf(singles.subList(0, 4));
        assertThat(b).containsExactlyElementsOf(singles.subList(4, 6));
        assertThat(store().vms().takePending(second, 4, LEASE, at(11))).containsExactlyElementsOf(b);
    }

    @Test
    default void concurrentPassesNeverTakeTheSameVmAndTakeGangsWhole() throws Exception {
        List<Vm> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(store().vms().create(newVm(ADMIN, "vm-" + i, at(i)), null));
        }
        for (int g = 0; g < 5; g++) {
            all.addAll(createGang("gang" + g, 4, null));
        }
        int passes = 8;
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(passes);
        List<Vm> taken = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(passes);
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < passes; p++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    taken.addAll(store().vms().takePending(UUID.randomUUID(), 3, LEASE, at(100)));
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> future : futures) {
                future.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(taken).doesNotHaveDuplicates().isNotEmpty();
        for (Vm vm : taken) {
            UUID gangId = vm.constraints().gangId();
            if (gangId != null) {
                assertThat(taken).containsAll(store().vms().gangMembers(gangId));
            }
        }
        List<Vm> rest = store().vms().takePending(UUID.randomUUID(), 100, LEASE, at(100));
        assertThat(rest).doesNotContainAnyElementsOf(taken);
        assertThat(taken.size() + rest.size()).isEqualTo(all.size());
    }

    @Test
    default void aHoldIsGivenBackOrLapses() {
        Vm one = store().vms().create(newVm(ADMIN, "one", at(0)), null);
        Vm two = store().vms().create(newVm(ADMIN, "two", at(1)), null);
        UUID crashed = UUID.randomUUID();
        UUID released = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        assertThat(store().vms().takePending(crashed, 1, LEASE, at(10))).containsExactly(one);
        assertThat(store().vms().takePending(released, 1, LEASE, at(10))).containsExactly(two);

        store().vms().releasePending(released, List.of(two.id()));
        store().vms().releasePending(other, List.of(one.id())); // not its hold: no effect

        assertThat(store().vms().takePending(other, 10, LEASE, at(11))).containsExactly(two);
        assertThat(store().vms().takePending(UUID.randomUUID(), 10, LEASE, at(11).plus(LEASE)))
                .containsExactly(one, two);
    }

    @Test
    default void aGangIsTakenWholeOrNotAtAll() {
        Vm before = store().vms().create(newVm(ADMIN, "before", T0.minusSeconds(1)), null);
        List<Vm> gang = createGang("web", 5, null);
        UUID first = UUID.randomUUID();

        List<Vm> taken = store().vms().takePending(first, 2, LEASE, at(10));

        assertThat(taken).hasSize(6).contains(before).containsAll(gang);
        assertThat(store().vms().takePending(UUID.randomUUID(), 10, LEASE, at(10)))
                .isEmpty();
        Host host = register("host-a");
        assertThat(claimGang(gang.subList(0, 2), List.of(host, host))).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(store().vms().takePending(first, 10, LEASE, at(11)))
                .containsExactlyInAnyOrder(before, gang.get(2), gang.get(3), gang.get(4));
        assertThat(reload(host).allocated()).isEqualTo(SMALL.plus(SMALL));
    }

    @Test
    default void concurrentGangsAndSinglesNeverOverAllocateNorBreakAntiAffinity() throws Exception {
        new GangClaimRace(store(), flavor(), image(), GangClaimRace.SEED).run();
    }
}
