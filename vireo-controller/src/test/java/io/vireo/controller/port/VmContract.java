package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.model.DesiredState;
import io.vireo.model.Host;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract of {@link VmRepository}: creation, conditional writes, listing. */
interface VmContract extends StoreContract {

    @Test
    default void aCreatedVmIsFoundByIdAndName() {
        Vm vm = newVm(ADMIN, "web", T0);

        assertThat(store().vms().create(vm, null)).isEqualTo(vm);
        assertThat(store().vms().find(vm.id())).contains(vm);
        assertThat(store().vms().findByName(ADMIN, "web")).contains(vm);
        assertThat(store().vms().findByName(OTHER_PROJECT, "web")).isEmpty();
        assertThat(store().vms().find(UUID.randomUUID())).isEmpty();
    }

    @Test
    default void anIdempotencyKeyReturnsTheVmItCreatedForTheSameRequestOnly() {
        Vm first = store().vms().create(newVm(ADMIN, "web", T0), StoreContract.key("key-1", "web"));

        Vm again = store().vms().create(newVm(ADMIN, "web", at(1)), StoreContract.key("key-1", "web"));

        assertThat(again).isEqualTo(first);
        assertThatThrownBy(() -> store().vms().create(newVm(ADMIN, "api", at(2)), StoreContract.key("key-1", "api")))
                .isInstanceOfSatisfying(VireoException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
                    assertThat(e.details())
                            .containsEntry("idempotencyKey", "key-1")
                            .containsEntry("vm", "web");
                });
        assertError(
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
                () -> store().vms().create(newVm(ADMIN, "web", at(3)), StoreContract.key("key-1", "web, other")));
        assertThat(store().vms().list(new VmFilter(null, null, null, 10, null)).items())
                .containsExactly(first);
    }

    /** Clients retry a create whose answer they lost while the first attempt may still be running. */
    @Test
    default void concurrentCreatesWithOneIdempotencyKeyMakeOneVm() throws Exception {
        int clients = 8;
        ExecutorService executor = Executors.newFixedThreadPool(clients);
        try {
            CyclicBarrier start = new CyclicBarrier(clients);
            List<Future<Vm>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(executor.submit(() -> {
                    start.await();
                    return store().vms().create(newVm(ADMIN, "web", T0), StoreContract.key("retried-key", "web"));
                }));
            }
            List<UUID> ids = new ArrayList<>();
            for (Future<Vm> answer : answers) {
                ids.add(answer.get(30, TimeUnit.SECONDS).id());
            }
            assertThat(ids).containsOnly(ids.get(0));
            assertThat(store().vms()
                            .list(new VmFilter(null, null, null, 100, null))
                            .items())
                    .extracting(Vm::id)
                    .containsExactly(ids.get(0));
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * Two different requests racing with one key (half of them named otherwise): one VM is made, every create of its
     * request gets it, and every create of the other request is refused, whichever commits first.
     */
    @Test
    default void concurrentCreatesOfTwoRequestsWithOneKeyMakeOneVmAndRefuseTheOther() throws Exception {
        int clients = 8;
        ExecutorService executor = Executors.newFixedThreadPool(clients);
        try {
            CyclicBarrier start = new CyclicBarrier(clients);
            List<Future<Vm>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String name = i % 2 == 0 ? "web" : "api";
                answers.add(executor.submit(() -> {
                    start.await();
                    return store().vms().create(newVm(ADMIN, name, T0), StoreContract.key("raced-key", name));
                }));
            }
            Map<String, Integer> outcomes = new java.util.TreeMap<>();
            for (Future<Vm> answer : answers) {
                String outcome;
                try {
                    outcome = answer.get(30, TimeUnit.SECONDS).name();
                } catch (java.util.concurrent.ExecutionException e) {
                    outcome = e.getCause() instanceof VireoException failure
                            ? failure.code().name()
                            : e.toString();
                }
                outcomes.merge(outcome, 1, Integer::sum);
            }
            List<Vm> made = store().vms()
                    .list(new VmFilter(null, null, null, 100, null))
                    .items();
            assertThat(made).hasSize(1);
            assertThat(outcomes)
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            made.get(0).name(), clients / 2, ErrorCode.IDEMPOTENCY_KEY_REUSED.name(), clients / 2));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    default void idempotencyKeysAreScopedToTheProject() {
        Vm admin = store().vms().create(newVm(ADMIN, "web", T0), StoreContract.key("key-1", "web"));
        Vm other = store().vms().create(newVm(OTHER_PROJECT, "web", T0), StoreContract.key("key-1", "web"));

        assertThat(other.id()).isNotEqualTo(admin.id());
        assertThat(store().vms().find(other.id())).contains(other);
    }

    @Test
    default void aSecondLiveVmOfTheSameNameInAProjectIsRefused() {
        createVm("web");

        assertError(ErrorCode.ALREADY_EXISTS, () -> store().vms().create(newVm(ADMIN, "web", T0), null));
        assertError(
                ErrorCode.ALREADY_EXISTS,
                () -> store().vms().create(newVm(ADMIN, "web", T0), StoreContract.key("fresh-key", "web")));
        assertThat(store().vms().create(newVm(OTHER_PROJECT, "web", T0), null).projectId())
                .isEqualTo(OTHER_PROJECT);
        assertThat(store().vms().countByState()).containsEntry(VmState.PENDING, 2L);
    }

    @Test
    default void theNameOfADeletedVmMayBeReused() {
        Vm old = createVm("web");
        store().claims().releaseAndMarkDeleted(old.id(), at(1));

        Vm reborn = store().vms().create(newVm(ADMIN, "web", at(2)), null);

        assertThat(store().vms().findByName(ADMIN, "web")).contains(reborn);
        assertThat(store().vms().find(old.id()).map(Vm::state)).contains(VmState.DELETED);
    }

    @Test
    default void updateSpecWritesOnlyAtTheExpectedGeneration() {
        Vm vm = createVm("web");

        assertThat(store().vms()
                        .updateSpec(vm.id(), 7, vm.epoch(), 8, DesiredState.STOPPED, 0, VmState.PENDING, null, at(1)))
                .isFalse();
        assertThat(reload(vm)).isEqualTo(vm);

        assertThat(store().vms()
                        .updateSpec(vm.id(), 1, vm.epoch(), 2, DesiredState.STOPPED, 3, VmState.STOPPING, "why", at(2)))
                .isTrue();
        Vm after = reload(vm);
        assertThat(after.generation()).isEqualTo(2);
        assertThat(after.desiredState()).isEqualTo(DesiredState.STOPPED);
        assertThat(after.rebootCount()).isEqualTo(3);
        assertThat(after.state()).isEqualTo(VmState.STOPPING);
        assertThat(after.stateReason()).isEqualTo("why");
        assertThat(after.updatedAt()).isEqualTo(at(2));
        assertThat(after.observedGeneration()).isEqualTo(vm.observedGeneration());

        assertThat(store().vms()
                        .updateSpec(vm.id(), 1, vm.epoch(), 3, DesiredState.RUNNING, 0, VmState.PENDING, null, at(3)))
                .isFalse();
        assertThat(store().vms()
                        .updateSpec(UUID.randomUUID(), 1, 0, 2, DesiredState.RUNNING, 0, VmState.PENDING, null, at(3)))
                .isFalse();
    }

    @Test
    default void updateStatusWritesOnlyAtTheExpectedGeneration() {
        Host host = register("host-a");
        Vm vm = placedVm("web", host);

        assertThat(store().vms().updateStatus(vm.id(), 2, vm.epoch(), VmState.RUNNING, null, 2, at(3), at(3)))
                .isFalse();
        assertThat(store().vms().updateStatus(vm.id(), 1, vm.epoch(), VmState.RUNNING, null, 1, at(3), at(4)))
                .isTrue();

        Vm after = reload(vm);
        assertThat(after.state()).isEqualTo(VmState.RUNNING);
        assertThat(after.observedGeneration()).isEqualTo(1);
        assertThat(after.startedAt()).isEqualTo(at(3));
        assertThat(after.updatedAt()).isEqualTo(at(4));
        assertThat(after.hostId()).isEqualTo(host.id());
        assertThat(after.epoch()).isEqualTo(vm.epoch());
    }

    @Test
    default void aDeletedVmTakesNoMoreWrites() {
        Vm vm = createVm("web");
        store().claims().releaseAndMarkDeleted(vm.id(), at(1));
        Vm deleted = reload(vm);

        assertThat(store().vms()
                        .updateSpec(vm.id(), 1, vm.epoch(), 2, DesiredState.RUNNING, 0, VmState.PENDING, null, at(2)))
                .isFalse();
        assertThat(store().vms().updateStatus(vm.id(), 1, vm.epoch(), VmState.RUNNING, null, 1, null, at(2)))
                .isFalse();
        assertThat(reload(vm)).isEqualTo(deleted);
    }

    @Test
    default void markUnplaceablePutsAnUnplacedPendingVmIntoError() {
        Vm vm = createVm("web");

        assertThat(store().vms().markUnplaceable(vm.id(), 2, "stale", at(1))).isFalse();
        assertThat(store().vms().markUnplaceable(vm.id(), 1, "no host has 1 vCPU free", at(2)))
                .isTrue();

        Vm after = reload(vm);
        assertThat(after.state()).isEqualTo(VmState.ERROR);
        assertThat(after.stateReason()).isEqualTo("no host has 1 vCPU free");
        assertThat(after.updatedAt()).isEqualTo(at(2));
        assertThat(store().vms().markUnplaceable(vm.id(), 1, "again", at(3))).isFalse();
        assertThat(store().vms().listPending(10)).isEmpty();
    }

    @Test
    default void markUnplaceableLeavesAPlacedVmAlone() {
        Vm vm = placedVm("web", register("host-a"));

        assertThat(store().vms().markUnplaceable(vm.id(), 1, "no host", at(3))).isFalse();
        assertThat(reload(vm)).isEqualTo(vm);
    }

    @Test
    default void listingFiltersByProjectStateAndHostAndHidesDeletedVms() {
        Host host = register("host-a");
        Vm placed = placedVm("placed", host);
        createVm("pending");
        Vm other = store().vms().create(newVm(OTHER_PROJECT, "other", T0), null);
        Vm gone = createVm("gone");
        store().claims().releaseAndMarkDeleted(gone.id(), at(2));

        assertThat(names(new VmFilter(null, null, null, 10, null))).containsExactly("other", "pending", "placed");
        assertThat(names(new VmFilter(ADMIN, null, null, 10, null))).containsExactly("pending", "placed");
        assertThat(names(new VmFilter(null, VmState.PENDING, null, 10, null))).containsExactly("other", "pending");
        assertThat(names(new VmFilter(null, null, host.id(), 10, null))).containsExactly(placed.name());
        assertThat(names(new VmFilter(null, VmState.DELETED, null, 10, null))).containsExactly("gone");
        assertThat(names(new VmFilter(OTHER_PROJECT, VmState.PENDING, null, 10, null)))
                .containsExactly(other.name());
    }

    private List<String> names(VmFilter filter) {
        return store().vms().list(filter).items().stream().map(Vm::name).toList();
    }

    /** Names chosen so that "name + separator + id" strings would sort differently from (name, id). */
    @Test
    default void pagesFollowNameThenIdAndTheCursorLeadsToTheNextPage() {
        for (String name : List.of("b", "a0", "a-b", "ab", "a", "a-c", "c")) {
            createVm(name);
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Vm> page = store().vms().list(new VmFilter(ADMIN, null, null, 2, cursor));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
            page.items().forEach(vm -> seen.add(vm.name()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(seen).containsExactly("a", "a-b", "a-c", "a0", "ab", "b", "c");
        assertThat(pages).isEqualTo(4);
    }

    @Test
    default void aFullLastPageHasNoCursor() {
        createVm("a");
        createVm("b");

        Page<Vm> page = store().vms().list(new VmFilter(null, null, null, 2, null));

        assertThat(page.items()).hasSize(2);
        assertThat(page.next()).isEmpty();
    }

    /** Ids order by their canonical text, which is also unsigned byte order (not {@link UUID#compareTo}). */
    @Test
    default void vmsOfTheSameNameAreOrderedById() {
        Vm high = Vm.create(
                UUID.fromString("80000000-0000-4000-8000-000000000001"), ADMIN, "same", T0, flavor(), image());
        Vm low = Vm.create(
                UUID.fromString("10000000-0000-4000-8000-000000000001"), OTHER_PROJECT, "same", T0, flavor(), image());
        store().vms().create(high, null);
        store().vms().create(low, null);

        Page<Vm> first = store().vms().list(new VmFilter(null, null, null, 1, null));
        Page<Vm> second = store().vms().list(new VmFilter(null, null, null, 1, first.nextCursor()));

        assertThat(first.items()).containsExactly(low);
        assertThat(second.items()).containsExactly(high);
        assertThat(second.next()).isEmpty();
    }

    @Test
    default void aCursorThatNoPageIssuedIsAnInvalidArgument() {
        createVm("a");

        assertError(
                ErrorCode.INVALID_ARGUMENT,
                () -> store().vms().list(new VmFilter(null, null, null, 10, "not-a-cursor")));
    }

    @Test
    default void listByHostIncludesVmsBeingDeletedButNotDeletedOnes() {
        Host host = register("host-a");
        Vm running = placedVm("running", host);
        Vm deleting = placedVm("deleting", host);
        store().vms()
                .updateSpec(
                        deleting.id(), 1, deleting.epoch(), 2, DesiredState.DELETED, 0, VmState.DELETING, null, at(2));
        Vm deleted = placedVm("deleted", host);
        store().claims().releaseAndMarkDeleted(deleted.id(), at(3));
        placedVm("elsewhere", register("host-b"));

        assertThat(store().vms().listByHost(host.id()))
                .extracting(Vm::name)
                .containsExactlyInAnyOrder(running.name(), deleting.name());
    }

    @Test
    default void pendingVmsAreListedOldestFirstUpToTheLimit() {
        Vm second = store().vms().create(newVm(ADMIN, "second", at(2)), null);
        Vm first = store().vms().create(newVm(OTHER_PROJECT, "first", at(1)), null);
        Vm third = store().vms().create(newVm(ADMIN, "third", at(3)), null);
        Vm placed = store().vms().create(newVm(ADMIN, "placed", at(0)), null);
        Host host = register("host-a");
        claimPlacement(placed.id(), host.id(), host.resourceGeneration(), SMALL, at(4));

        assertThat(store().vms().listPending(10)).containsExactly(first, second, third);
        assertThat(store().vms().listPending(2)).containsExactly(first, second);
    }

    @Test
    default void countByStateCountsLiveVmsOnly() {
        Host host = register("host-a");
        placedVm("a", host);
        placedVm("b", host);
        createVm("c");
        Vm gone = createVm("d");
        store().claims().releaseAndMarkDeleted(gone.id(), at(2));

        assertThat(store().vms().countByState())
                .containsExactlyInAnyOrderEntriesOf(Map.of(VmState.SCHEDULED, 2L, VmState.PENDING, 1L));
    }

    @Test
    default void countsByHostAndTheReconcileBacklogSeeLiveVmsOnly() {
        Host a = register("host-a");
        Host b = register("host-b");
        Vm running = placedVm("a-1", a);
        assertThat(store().vms().updateStatus(running.id(), 1, running.epoch(), VmState.RUNNING, null, 1, at(3), at(3)))
                .isTrue();
        placedVm("a-2", a);
        placedVm("b-1", b);
        createVm("waiting");
        Vm failed = createVm("failed");
        assertThat(store().vms().markUnplaceable(failed.id(), 1, "no valid host", at(2)))
                .isTrue();
        Vm gone = placedVm("gone", b);
        store().claims().releaseAndMarkDeleted(gone.id(), at(2));

        assertThat(store().vms().countByHostAndState())
                .isEqualTo(Map.of(
                        a.id(), Map.of(VmState.RUNNING, 1L, VmState.SCHEDULED, 1L),
                        b.id(), Map.of(VmState.SCHEDULED, 1L)));
        // a-2, b-1 and waiting: neither the running one, nor the one in ERROR, nor the deleted one
        assertThat(store().vms().reconcileBacklog()).isEqualTo(new VmRepository.ReconcileBacklog(3, T0));
    }

    @Test
    default void anEmptyStoreHasNoBacklog() {
        assertThat(store().vms().reconcileBacklog()).isEqualTo(VmRepository.ReconcileBacklog.NONE);
        assertThat(store().vms().countByHostAndState()).isEmpty();
    }
}
