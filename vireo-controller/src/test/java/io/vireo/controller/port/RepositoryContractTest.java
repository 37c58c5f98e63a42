package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.ClaimRepository.ClaimOutcome;
import io.vireo.model.DesiredState;
import io.vireo.model.Event;
import io.vireo.model.Flavor;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every implementation of the store ports must have: subclasses supply a fresh, empty store per test.
 * Timestamps have whole microseconds, the precision every store keeps. The concurrent claim race is in
 * {@link ClaimRace}.
 */
public abstract class RepositoryContractTest {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    protected static final UUID ADMIN = Project.ADMIN_ID;
    protected static final UUID OTHER_PROJECT = UUID.fromString("00000000-0000-4000-8000-0000000000b2");
    protected static final Resources SMALL = new Resources(1, 1024, 10);
    protected static final Resources HOST_CAPACITY = new Resources(8, 16_384, 200);

    protected Repositories store;
    private final Flavor flavor = new Flavor(UUID.randomUUID(), "small", T0, SMALL);
    private final Image image = new Image(UUID.randomUUID(), ADMIN, "cirros", T0, ImageFormat.QCOW2, 1 << 20);

    /** A new, empty store. Called before every test. */
    protected abstract Repositories newRepositories();

    @BeforeEach
    void setUpStore() {
        store = newRepositories();
    }

    protected static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    protected Host register(String name) {
        return store.hosts().register(new HostRegistration(name, HOST_CAPACITY, List.of("kvm"), "fake"), T0);
    }

    protected Vm newVm(UUID projectId, String name, Instant createdAt) {
        return Vm.create(UUID.randomUUID(), projectId, name, createdAt, flavor, image);
    }

    protected Vm createVm(String name) {
        return store.vms().create(newVm(ADMIN, name, T0), null);
    }

    private Vm placedVm(String name, Host host) {
        Vm vm = createVm(name);
        long generation = store.hosts().find(host.id()).orElseThrow().resourceGeneration();
        assertThat(store.claims().claim(vm.id(), host.id(), generation, vm.resources(), at(1)))
                .isEqualTo(ClaimOutcome.CLAIMED);
        return store.vms().find(vm.id()).orElseThrow();
    }

    private Host reload(Host host) {
        return store.hosts().find(host.id()).orElseThrow();
    }

    private Vm reload(Vm vm) {
        return store.vms().find(vm.id()).orElseThrow();
    }

    private static void assertError(ErrorCode code, Runnable action) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    // ---- hosts

    @Test
    void registeringANewHostStartsItUpWithNothingAllocated() {
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
        assertThat(store.hosts().find(host.id())).contains(host);
    }

    @Test
    void reRegisteringKeepsIdAndAllocationsAndTakesTheNewInventory() {
        Host host = register("host-a");
        placedVm("web", host);
        store.hosts().recordHeartbeat(host.id(), new HostUsage(12.5, 900, 9, 1), at(2));
        Host before = reload(host);
        store.hosts().updateState(host.id(), HostState.DOWN);

        Resources bigger = new Resources(16, 32_768, 400);
        Host after =
                store.hosts().register(new HostRegistration("host-a", bigger, List.of("kvm", "ssd"), "qemu"), at(3));

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
        assertThat(store.hosts().list()).containsExactly(after);
    }

    @Test
    void reRegisteringKeepsAHostInMaintenance() {
        Host host = register("host-a");
        store.hosts().updateState(host.id(), HostState.MAINTENANCE);

        assertThat(register("host-a").state()).isEqualTo(HostState.MAINTENANCE);
    }

    @Test
    void reRegisteringWithLessCapacityThanIsAllocatedIsAConflict() {
        Host host = register("host-a");
        placedVm("web", host);
        Host before = reload(host);

        assertError(
                ErrorCode.CONFLICT,
                () -> store.hosts()
                        .register(
                                new HostRegistration("host-a", new Resources(8, 512, 200), List.of(), "fake"), at(3)));
        assertThat(reload(host)).isEqualTo(before);
    }

    @Test
    void hostsAreFoundByIdAndNameAndListedByName() {
        Host b = register("host-b");
        Host a = register("host-a");
        Host c = register("host-c");

        assertThat(store.hosts().list()).containsExactly(a, b, c);
        assertThat(store.hosts().findByName("host-b")).contains(b);
        assertThat(store.hosts().findByName("host-x")).isEmpty();
        assertThat(store.hosts().find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void aHeartbeatRecordsUsageAndTimeButNotTheResourceGeneration() {
        Host host = register("host-a");
        HostUsage usage = new HostUsage(37.25, 4096, 50, 3);

        store.hosts().recordHeartbeat(host.id(), usage, at(10));
        store.hosts().recordHeartbeat(UUID.randomUUID(), usage, at(10));

        Host after = reload(host);
        assertThat(after.usage()).isEqualTo(usage);
        assertThat(after.lastHeartbeatAt()).isEqualTo(at(10));
        assertThat(after.resourceGeneration()).isEqualTo(host.resourceGeneration());
        assertThat(store.hosts().list()).hasSize(1);
    }

    @Test
    void updateStateChangesOnlyTheState() {
        Host host = register("host-a");

        store.hosts().updateState(host.id(), HostState.MAINTENANCE);
        store.hosts().updateState(UUID.randomUUID(), HostState.DOWN);

        assertThat(reload(host).state()).isEqualTo(HostState.MAINTENANCE);
        assertThat(reload(host).resourceGeneration()).isEqualTo(host.resourceGeneration());
    }

    // ---- claims

    @Test
    void aClaimPlacesTheVmAllocatesAndBumpsTheHostGeneration() {
        Host host = register("host-a");
        Vm vm = createVm("web");

        ClaimOutcome outcome = store.claims().claim(vm.id(), host.id(), host.resourceGeneration(), SMALL, at(5));

        assertThat(outcome).isEqualTo(ClaimOutcome.CLAIMED);
        Host after = reload(host);
        assertThat(after.allocated()).isEqualTo(SMALL);
        assertThat(after.resourceGeneration()).isEqualTo(host.resourceGeneration() + 1);
        Vm placed = reload(vm);
        assertThat(placed.hostId()).isEqualTo(host.id());
        assertThat(placed.epoch()).isEqualTo(vm.epoch() + 1);
        assertThat(placed.state()).isEqualTo(VmState.SCHEDULED);
        assertThat(placed.stateReason()).isNull();
        assertThat(placed.updatedAt()).isEqualTo(at(5));
        assertThat(placed.generation()).isEqualTo(vm.generation());
        assertThat(store.vms().listByHost(host.id())).containsExactly(placed);
    }

    @Test
    void aClaimWithAStaleGenerationChangesNothing() {
        Host host = register("host-a");
        placedVm("first", host);
        Vm vm = createVm("second");

        ClaimOutcome outcome = store.claims().claim(vm.id(), host.id(), host.resourceGeneration(), SMALL, at(5));

        assertThat(outcome).isEqualTo(ClaimOutcome.HOST_CHANGED);
        assertThat(reload(vm)).isEqualTo(vm);
        assertThat(reload(host).allocated()).isEqualTo(SMALL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vcpus", "memory", "disk"})
    void aClaimThatDoesNotFitChangesNothing(String resourceClass) {
        Host host = register("host-a");
        Resources tooBig = switch (resourceClass) {
            case "vcpus" -> new Resources(HOST_CAPACITY.vcpus() + 1, 1, 1);
            case "memory" -> new Resources(1, HOST_CAPACITY.memoryMib() + 1, 1);
            default -> new Resources(1, 1, HOST_CAPACITY.diskGib() + 1);
        };
        Vm vm = createVm("big");

        assertThat(store.claims().claim(vm.id(), host.id(), host.resourceGeneration(), tooBig, at(5)))
                .isEqualTo(ClaimOutcome.HOST_CHANGED);
        assertThat(reload(host)).isEqualTo(host);
        assertThat(reload(vm)).isEqualTo(vm);
    }

    @Test
    void aClaimMayFillTheHostExactly() {
        Host host = register("host-a");
        Vm vm = createVm("whole");

        assertThat(store.claims().claim(vm.id(), host.id(), host.resourceGeneration(), HOST_CAPACITY, at(5)))
                .isEqualTo(ClaimOutcome.CLAIMED);
        assertThat(reload(host).free()).isEqualTo(Resources.ZERO);
    }

    @Test
    void aClaimOnAnUnknownHostIsHostChanged() {
        Vm vm = createVm("web");

        assertThat(store.claims().claim(vm.id(), UUID.randomUUID(), 1, SMALL, at(5)))
                .isEqualTo(ClaimOutcome.HOST_CHANGED);
        assertThat(reload(vm)).isEqualTo(vm);
    }

    @Test
    void aClaimOfAPlacedVmIsVmChanged() {
        Host a = register("host-a");
        Host b = register("host-b");
        Vm vm = placedVm("web", a);

        assertThat(store.claims().claim(vm.id(), b.id(), b.resourceGeneration(), SMALL, at(5)))
                .isEqualTo(ClaimOutcome.VM_CHANGED);
        assertThat(reload(b)).isEqualTo(b);
        assertThat(reload(vm)).isEqualTo(vm);
    }

    @Test
    void aClaimOfAnUnknownVmIsVmChanged() {
        Host host = register("host-a");

        assertThat(store.claims().claim(UUID.randomUUID(), host.id(), host.resourceGeneration(), SMALL, at(5)))
                .isEqualTo(ClaimOutcome.VM_CHANGED);
        assertThat(reload(host)).isEqualTo(host);
    }

    @Test
    void aClaimOfAVmBeingDeletedOrDeletedOrInErrorIsVmChanged() {
        Host host = register("host-a");
        Vm beingDeleted = createVm("being-deleted");
        store.vms().updateSpec(beingDeleted.id(), 1, 2, DesiredState.DELETED, 0, VmState.PENDING, null, at(1));
        Vm deleted = createVm("deleted");
        store.claims().releaseAndMarkDeleted(deleted.id(), at(1));
        Vm failed = createVm("failed");
        store.vms().markUnplaceable(failed.id(), 1, "no host", at(1));

        for (Vm vm : List.of(beingDeleted, deleted, failed)) {
            assertThat(store.claims().claim(vm.id(), host.id(), host.resourceGeneration(), SMALL, at(5)))
                    .as(vm.name())
                    .isEqualTo(ClaimOutcome.VM_CHANGED);
        }
        assertThat(reload(host)).isEqualTo(host);
    }

    /** A VM that cannot be claimed is not worth re-planning, so that outcome wins over a moved host. */
    @Test
    void vmChangedWinsOverHostChanged() {
        Host host = register("host-a");
        Vm vm = placedVm("web", host);

        assertThat(store.claims().claim(vm.id(), host.id(), host.resourceGeneration(), SMALL, at(5)))
                .isEqualTo(ClaimOutcome.VM_CHANGED);
    }

    @Test
    void releaseFreesTheAllocationAndMarksTheVmDeleted() {
        Host host = register("host-a");
        Vm vm = placedVm("web", host);
        store.vms().updateStatus(vm.id(), vm.generation(), VmState.RUNNING, null, vm.generation(), at(2), at(2));
        store.vms()
                .updateSpec(
                        vm.id(),
                        vm.generation(),
                        vm.generation() + 1,
                        DesiredState.DELETED,
                        0,
                        VmState.DELETING,
                        null,
                        at(3));
        Host placedHost = reload(host);

        store.claims().releaseAndMarkDeleted(vm.id(), at(4));

        Host after = reload(host);
        assertThat(after.allocated()).isEqualTo(Resources.ZERO);
        assertThat(after.resourceGeneration()).isEqualTo(placedHost.resourceGeneration() + 1);
        Vm deleted = reload(vm);
        assertThat(deleted.state()).isEqualTo(VmState.DELETED);
        assertThat(deleted.stateReason()).isNull();
        assertThat(deleted.observedGeneration()).isEqualTo(deleted.generation());
        assertThat(deleted.startedAt()).isNull();
        assertThat(deleted.updatedAt()).isEqualTo(at(4));
        assertThat(store.vms().listByHost(host.id())).isEmpty();
        assertThat(store.vms().findByName(ADMIN, "web")).isEmpty();
    }

    @Test
    void releaseIsIdempotent() {
        Host host = register("host-a");
        Vm vm = placedVm("web", host);
        store.claims().releaseAndMarkDeleted(vm.id(), at(4));
        Host released = reload(host);

        store.claims().releaseAndMarkDeleted(vm.id(), at(5));

        assertThat(reload(host)).isEqualTo(released);
        assertThat(reload(vm).state()).isEqualTo(VmState.DELETED);
    }

    @Test
    void releasingAnUnplacedOrUnknownVmTouchesNoHost() {
        Host host = register("host-a");
        Vm vm = createVm("web");

        store.claims().releaseAndMarkDeleted(vm.id(), at(4));
        store.claims().releaseAndMarkDeleted(UUID.randomUUID(), at(4));

        assertThat(reload(host)).isEqualTo(host);
        assertThat(reload(vm).state()).isEqualTo(VmState.DELETED);
    }

    @Test
    void releasedCapacityCanBeClaimedAgain() {
        Host host = register("host-a");
        Vm whole = createVm("whole");
        store.claims().claim(whole.id(), host.id(), host.resourceGeneration(), HOST_CAPACITY, at(1));
        Vm next = createVm("next");
        assertThat(store.claims().claim(next.id(), host.id(), reload(host).resourceGeneration(), SMALL, at(2)))
                .isEqualTo(ClaimOutcome.HOST_CHANGED);

        store.claims().releaseAndMarkDeleted(whole.id(), at(3));

        assertThat(store.claims().claim(next.id(), host.id(), reload(host).resourceGeneration(), SMALL, at(4)))
                .isEqualTo(ClaimOutcome.CLAIMED);
        assertThat(reload(host).allocated()).isEqualTo(SMALL);
    }

    @Test
    void racingClaimsAndDeletesNeverOverAllocate() throws Exception {
        new ClaimRace(store, flavor, image, ClaimRace.SEED).run();
    }

    // ---- VMs

    @Test
    void aCreatedVmIsFoundByIdAndName() {
        Vm vm = newVm(ADMIN, "web", T0);

        assertThat(store.vms().create(vm, null)).isEqualTo(vm);
        assertThat(store.vms().find(vm.id())).contains(vm);
        assertThat(store.vms().findByName(ADMIN, "web")).contains(vm);
        assertThat(store.vms().findByName(OTHER_PROJECT, "web")).isEmpty();
        assertThat(store.vms().find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void anIdempotencyKeyReturnsTheVmItCreated() {
        Vm first = store.vms().create(newVm(ADMIN, "web", T0), "key-1");

        Vm again = store.vms().create(newVm(ADMIN, "web", at(1)), "key-1");
        Vm otherName = store.vms().create(newVm(ADMIN, "api", at(2)), "key-1");

        assertThat(again).isEqualTo(first);
        assertThat(otherName).isEqualTo(first);
        assertThat(store.vms().list(new VmFilter(null, null, null, 10, null)).items())
                .containsExactly(first);
    }

    @Test
    void idempotencyKeysAreScopedToTheProject() {
        Vm admin = store.vms().create(newVm(ADMIN, "web", T0), "key-1");
        Vm other = store.vms().create(newVm(OTHER_PROJECT, "web", T0), "key-1");

        assertThat(other.id()).isNotEqualTo(admin.id());
        assertThat(store.vms().find(other.id())).contains(other);
    }

    @Test
    void aSecondLiveVmOfTheSameNameInAProjectIsRefused() {
        createVm("web");

        assertError(ErrorCode.ALREADY_EXISTS, () -> store.vms().create(newVm(ADMIN, "web", T0), null));
        assertError(ErrorCode.ALREADY_EXISTS, () -> store.vms().create(newVm(ADMIN, "web", T0), "fresh-key"));
        assertThat(store.vms().create(newVm(OTHER_PROJECT, "web", T0), null).projectId())
                .isEqualTo(OTHER_PROJECT);
        assertThat(store.vms().countByState()).containsEntry(VmState.PENDING, 2L);
    }

    @Test
    void theNameOfADeletedVmMayBeReused() {
        Vm old = createVm("web");
        store.claims().releaseAndMarkDeleted(old.id(), at(1));

        Vm reborn = store.vms().create(newVm(ADMIN, "web", at(2)), null);

        assertThat(store.vms().findByName(ADMIN, "web")).contains(reborn);
        assertThat(store.vms().find(old.id()).map(Vm::state)).contains(VmState.DELETED);
    }

    @Test
    void updateSpecWritesOnlyAtTheExpectedGeneration() {
        Vm vm = createVm("web");

        assertThat(store.vms().updateSpec(vm.id(), 7, 8, DesiredState.STOPPED, 0, VmState.PENDING, null, at(1)))
                .isFalse();
        assertThat(reload(vm)).isEqualTo(vm);

        assertThat(store.vms().updateSpec(vm.id(), 1, 2, DesiredState.STOPPED, 3, VmState.STOPPING, "why", at(2)))
                .isTrue();
        Vm after = reload(vm);
        assertThat(after.generation()).isEqualTo(2);
        assertThat(after.desiredState()).isEqualTo(DesiredState.STOPPED);
        assertThat(after.rebootCount()).isEqualTo(3);
        assertThat(after.state()).isEqualTo(VmState.STOPPING);
        assertThat(after.stateReason()).isEqualTo("why");
        assertThat(after.updatedAt()).isEqualTo(at(2));
        assertThat(after.observedGeneration()).isEqualTo(vm.observedGeneration());

        assertThat(store.vms().updateSpec(vm.id(), 1, 3, DesiredState.RUNNING, 0, VmState.PENDING, null, at(3)))
                .isFalse();
        assertThat(store.vms()
                        .updateSpec(UUID.randomUUID(), 1, 2, DesiredState.RUNNING, 0, VmState.PENDING, null, at(3)))
                .isFalse();
    }

    @Test
    void updateStatusWritesOnlyAtTheExpectedGeneration() {
        Host host = register("host-a");
        Vm vm = placedVm("web", host);

        assertThat(store.vms().updateStatus(vm.id(), 2, VmState.RUNNING, null, 2, at(3), at(3)))
                .isFalse();
        assertThat(store.vms().updateStatus(vm.id(), 1, VmState.RUNNING, null, 1, at(3), at(4)))
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
    void aDeletedVmTakesNoMoreWrites() {
        Vm vm = createVm("web");
        store.claims().releaseAndMarkDeleted(vm.id(), at(1));
        Vm deleted = reload(vm);

        assertThat(store.vms().updateSpec(vm.id(), 1, 2, DesiredState.RUNNING, 0, VmState.PENDING, null, at(2)))
                .isFalse();
        assertThat(store.vms().updateStatus(vm.id(), 1, VmState.RUNNING, null, 1, null, at(2)))
                .isFalse();
        assertThat(reload(vm)).isEqualTo(deleted);
    }

    @Test
    void markUnplaceablePutsAnUnplacedPendingVmIntoError() {
        Vm vm = createVm("web");

        assertThat(store.vms().markUnplaceable(vm.id(), 2, "stale", at(1))).isFalse();
        assertThat(store.vms().markUnplaceable(vm.id(), 1, "no host has 1 vCPU free", at(2)))
                .isTrue();

        Vm after = reload(vm);
        assertThat(after.state()).isEqualTo(VmState.ERROR);
        assertThat(after.stateReason()).isEqualTo("no host has 1 vCPU free");
        assertThat(after.updatedAt()).isEqualTo(at(2));
        assertThat(store.vms().markUnplaceable(vm.id(), 1, "again", at(3))).isFalse();
        assertThat(store.vms().listPending(10)).isEmpty();
    }

    @Test
    void markUnplaceableLeavesAPlacedVmAlone() {
        Vm vm = placedVm("web", register("host-a"));

        assertThat(store.vms().markUnplaceable(vm.id(), 1, "no host", at(3))).isFalse();
        assertThat(reload(vm)).isEqualTo(vm);
    }

    @Test
    void listingFiltersByProjectStateAndHostAndHidesDeletedVms() {
        Host host = register("host-a");
        Vm placed = placedVm("placed", host);
        createVm("pending");
        Vm other = store.vms().create(newVm(OTHER_PROJECT, "other", T0), null);
        Vm gone = createVm("gone");
        store.claims().releaseAndMarkDeleted(gone.id(), at(2));

        assertThat(names(new VmFilter(null, null, null, 10, null))).containsExactly("other", "pending", "placed");
        assertThat(names(new VmFilter(ADMIN, null, null, 10, null))).containsExactly("pending", "placed");
        assertThat(names(new VmFilter(null, VmState.PENDING, null, 10, null))).containsExactly("other", "pending");
        assertThat(names(new VmFilter(null, null, host.id(), 10, null))).containsExactly(placed.name());
        assertThat(names(new VmFilter(null, VmState.DELETED, null, 10, null))).containsExactly("gone");
        assertThat(names(new VmFilter(OTHER_PROJECT, VmState.PENDING, null, 10, null)))
                .containsExactly(other.name());
    }

    private List<String> names(VmFilter filter) {
        return store.vms().list(filter).items().stream().map(Vm::name).toList();
    }

    /** Names chosen so that "name + separator + id" strings would sort differently from (name, id). */
    @Test
    void pagesFollowNameThenIdAndTheCursorLeadsToTheNextPage() {
        for (String name : List.of("b", "a0", "a-b", "ab", "a", "a-c", "c")) {
            createVm(name);
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Vm> page = store.vms().list(new VmFilter(ADMIN, null, null, 2, cursor));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
            page.items().forEach(vm -> seen.add(vm.name()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(seen).containsExactly("a", "a-b", "a-c", "a0", "ab", "b", "c");
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void aFullLastPageHasNoCursor() {
        createVm("a");
        createVm("b");

        Page<Vm> page = store.vms().list(new VmFilter(null, null, null, 2, null));

        assertThat(page.items()).hasSize(2);
        assertThat(page.next()).isEmpty();
    }

    /** Ids order by their canonical text, which is also unsigned byte order (not {@link UUID#compareTo}). */
    @Test
    void vmsOfTheSameNameAreOrderedById() {
        Vm high = Vm.create(UUID.fromString("80000000-0000-4000-8000-000000000001"), ADMIN, "same", T0, flavor, image);
        Vm low = Vm.create(
                UUID.fromString("10000000-0000-4000-8000-000000000001"), OTHER_PROJECT, "same", T0, flavor, image);
        store.vms().create(high, null);
        store.vms().create(low, null);

        Page<Vm> first = store.vms().list(new VmFilter(null, null, null, 1, null));
        Page<Vm> second = store.vms().list(new VmFilter(null, null, null, 1, first.nextCursor()));

        assertThat(first.items()).containsExactly(low);
        assertThat(second.items()).containsExactly(high);
        assertThat(second.next()).isEmpty();
    }

    @Test
    void aCursorThatNoPageIssuedIsAnInvalidArgument() {
        createVm("a");

        assertError(
                ErrorCode.INVALID_ARGUMENT, () -> store.vms().list(new VmFilter(null, null, null, 10, "not-a-cursor")));
    }

    @Test
    void listByHostIncludesVmsBeingDeletedButNotDeletedOnes() {
        Host host = register("host-a");
        Vm running = placedVm("running", host);
        Vm deleting = placedVm("deleting", host);
        store.vms().updateSpec(deleting.id(), 1, 2, DesiredState.DELETED, 0, VmState.DELETING, null, at(2));
        Vm deleted = placedVm("deleted", host);
        store.claims().releaseAndMarkDeleted(deleted.id(), at(3));
        placedVm("elsewhere", register("host-b"));

        assertThat(store.vms().listByHost(host.id()))
                .extracting(Vm::name)
                .containsExactlyInAnyOrder(running.name(), deleting.name());
    }

    @Test
    void pendingVmsAreListedOldestFirstUpToTheLimit() {
        Vm second = store.vms().create(newVm(ADMIN, "second", at(2)), null);
        Vm first = store.vms().create(newVm(OTHER_PROJECT, "first", at(1)), null);
        Vm third = store.vms().create(newVm(ADMIN, "third", at(3)), null);
        Vm placed = store.vms().create(newVm(ADMIN, "placed", at(0)), null);
        Host host = register("host-a");
        store.claims().claim(placed.id(), host.id(), host.resourceGeneration(), SMALL, at(4));

        assertThat(store.vms().listPending(10)).containsExactly(first, second, third);
        assertThat(store.vms().listPending(2)).containsExactly(first, second);
    }

    @Test
    void countByStateCountsLiveVmsOnly() {
        Host host = register("host-a");
        placedVm("a", host);
        placedVm("b", host);
        createVm("c");
        Vm gone = createVm("d");
        store.claims().releaseAndMarkDeleted(gone.id(), at(2));

        assertThat(store.vms().countByState())
                .containsExactlyInAnyOrderEntriesOf(Map.of(VmState.SCHEDULED, 2L, VmState.PENDING, 1L));
    }

    // ---- events

    @Test
    void appendedEventsGetIncreasingSequencesAndAreListedOldestFirst() {
        UUID vmId = UUID.randomUUID();
        Event created =
                store.events().append(Event.of(at(1), "vm", vmId, "web", "Created", "flavor small", ADMIN, "corr-1"));
        Event scheduled =
                store.events().append(Event.of(at(2), "vm", vmId, "web", "Scheduled", "on host-a", ADMIN, null));

        assertThat(created.sequence()).isPositive();
        assertThat(scheduled.sequence()).isGreaterThan(created.sequence());
        assertThat(created)
                .usingRecursiveComparison()
                .ignoringFields("sequence")
                .isEqualTo(Event.of(at(1), "vm", vmId, "web", "Created", "flavor small", ADMIN, "corr-1"));
        assertThat(store.events().list(new EventFilter(null, null, null, 0, 10)))
                .containsExactly(created, scheduled);
    }

    @Test
    void eventsAreFilteredByObjectProjectAndSequence() {
        UUID web = UUID.randomUUID();
        UUID host = UUID.randomUUID();
        Event e1 = store.events().append(Event.of(at(1), "vm", web, "web", "Created", "", ADMIN, null));
        Event e2 = store.events().append(Event.of(at(2), "host", host, "host-a", "Registered", "", null, null));
        Event e3 = store.events().append(Event.of(at(3), "vm", web, "web", "Scheduled", "", ADMIN, null));
        Event e4 = store.events()
                .append(Event.of(at(4), "vm", UUID.randomUUID(), "db", "Created", "", OTHER_PROJECT, null));

        assertThat(store.events().list(new EventFilter("vm", null, null, 0, 10)))
                .containsExactly(e1, e3, e4);
        assertThat(store.events().list(new EventFilter(null, web, null, 0, 10))).containsExactly(e1, e3);
        assertThat(store.events().list(new EventFilter("host", host, null, 0, 10)))
                .containsExactly(e2);
        assertThat(store.events().list(new EventFilter(null, null, ADMIN, 0, 10)))
                .containsExactly(e1, e3);
        assertThat(store.events().list(new EventFilter(null, null, null, e2.sequence(), 10)))
                .containsExactly(e3, e4);
        assertThat(store.events().list(new EventFilter(null, null, null, 0, 2))).containsExactly(e1, e2);
        assertThat(store.events().list(new EventFilter(null, null, null, e4.sequence(), 10)))
                .isEmpty();
    }

    // ---- flavors and images

    @Test
    void flavorsAreCreatedFoundListedAndDeletedByName() {
        Flavor large =
                store.flavors().create(new Flavor(UUID.randomUUID(), "large", T0, new Resources(8, 32_768, 400)));
        Flavor small = store.flavors().create(flavor);

        assertThat(store.flavors().find(large.id())).contains(large);
        assertThat(store.flavors().findByName("small")).contains(small);
        assertThat(store.flavors().list()).containsExactly(large, small);
        assertThat(store.flavors().delete("large")).isTrue();
        assertThat(store.flavors().delete("large")).isFalse();
        assertThat(store.flavors().list()).containsExactly(small);
        assertThat(store.flavors().find(large.id())).isEmpty();
    }

    @Test
    void flavorNamesAreUnique() {
        store.flavors().create(flavor);

        assertError(
                ErrorCode.ALREADY_EXISTS,
                () -> store.flavors().create(new Flavor(UUID.randomUUID(), "small", T0, SMALL)));
        store.flavors().delete("small");
        assertThat(store.flavors()
                        .create(new Flavor(UUID.randomUUID(), "small", at(1), SMALL))
                        .createdAt())
                .isEqualTo(at(1));
    }

    @Test
    void imagesAreCreatedFoundListedAndDeletedPerProject() {
        Image cirros = store.images().create(image);
        Image alpine = store.images().create(new Image(UUID.randomUUID(), ADMIN, "alpine", T0, ImageFormat.RAW, 42));
        Image elsewhere = store.images()
                .create(new Image(UUID.randomUUID(), OTHER_PROJECT, "cirros", T0, ImageFormat.KERNEL_INITRD, 7));

        assertThat(store.images().find(elsewhere.id())).contains(elsewhere);
        assertThat(store.images().findByName(ADMIN, "cirros")).contains(cirros);
        assertThat(store.images().findByName(OTHER_PROJECT, "cirros")).contains(elsewhere);
        assertThat(store.images().list(ADMIN)).containsExactly(alpine, cirros);
        assertThat(store.images().delete(OTHER_PROJECT, "alpine")).isFalse();
        assertThat(store.images().delete(ADMIN, "cirros")).isTrue();
        assertThat(store.images().list(ADMIN)).containsExactly(alpine);
        assertThat(store.images().list(OTHER_PROJECT)).containsExactly(elsewhere);
    }

    @Test
    void imageNamesAreUniqueWithinAProject() {
        store.images().create(image);

        assertError(
                ErrorCode.ALREADY_EXISTS,
                () -> store.images().create(new Image(UUID.randomUUID(), ADMIN, "cirros", T0, ImageFormat.RAW, 1)));
        assertThat(store.images().list(ADMIN)).containsExactly(image);
    }
}
