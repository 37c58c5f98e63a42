package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.DesiredState;
import io.vireo.model.Host;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract of {@link ClaimRepository}: the one claim path and release. */
interface ClaimContract extends StoreContract {

    @Test
    default void aClaimPlacesTheVmAllocatesAndBumpsTheHostGeneration() {
        Host host = register("host-a");
        Vm vm = createVm("web");

        ClaimResult outcome = claimPlacement(vm.id(), host.id(), host.resourceGeneration(), SMALL, at(5));

        Host after = reload(host);
        assertThat(outcome).as("the host as written").isEqualTo(new ClaimResult.Claimed(List.of(after)));
        assertThat(after.allocated()).isEqualTo(SMALL);
        assertThat(after.resourceGeneration()).isEqualTo(host.resourceGeneration() + 1);
        Vm placed = reload(vm);
        assertThat(placed.hostId()).isEqualTo(host.id());
        assertThat(placed.epoch()).isEqualTo(vm.epoch() + 1);
        assertThat(placed.state()).isEqualTo(VmState.SCHEDULED);
        assertThat(placed.stateReason()).isNull();
        assertThat(placed.updatedAt()).isEqualTo(at(5));
        assertThat(placed.generation()).isEqualTo(vm.generation());
        assertThat(store().vms().listByHost(host.id())).containsExactly(placed);
    }

    @Test
    default void aClaimWithAStaleGenerationChangesNothing() {
        Host host = register("host-a");
        placedVm("first", host);
        Vm vm = createVm("second");

        ClaimResult outcome = claimPlacement(vm.id(), host.id(), host.resourceGeneration(), SMALL, at(5));

        assertThat(outcome).isEqualTo(new ClaimResult.HostChanged(host.id()));
        assertThat(reload(vm)).isEqualTo(vm);
        assertThat(reload(host).allocated()).isEqualTo(SMALL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vcpus", "memory", "disk"})
    default void aClaimThatDoesNotFitChangesNothing(String resourceClass) {
        Host host = register("host-a");
        Resources tooBig = switch (resourceClass) {
            case "vcpus" -> new Resources(HOST_CAPACITY.vcpus() + 1, 1, 1);
            case "memory" -> new Resources(1, HOST_CAPACITY.memoryMib() + 1, 1);
            default -> new Resources(1, 1, HOST_CAPACITY.diskGib() + 1);
        };
        Vm vm = createVm("big");

        assertThat(claimPlacement(vm.id(), host.id(), host.resourceGeneration(), tooBig, at(5)))
                .isEqualTo(new ClaimResult.HostChanged(host.id()));
        assertThat(reload(host)).isEqualTo(host);
        assertThat(reload(vm)).isEqualTo(vm);
    }

    @Test
    default void aClaimMayFillTheHostExactly() {
        Host host = register("host-a");
        Vm vm = createVm("whole");

        assertThat(claimPlacement(vm.id(), host.id(), host.resourceGeneration(), HOST_CAPACITY, at(5)))
                .isInstanceOf(ClaimResult.Claimed.class);
        assertThat(reload(host).free()).isEqualTo(Resources.ZERO);
    }

    @Test
    default void aClaimOnAnUnknownHostIsHostChanged() {
        Vm vm = createVm("web");

        UUID unknown = UUID.randomUUID();
        assertThat(claimPlacement(vm.id(), unknown, 1, SMALL, at(5))).isEqualTo(new ClaimResult.HostChanged(unknown));
        assertThat(reload(vm)).isEqualTo(vm);
    }

    @Test
    default void aClaimOfAPlacedVmIsVmChanged() {
        Host a = register("host-a");
        Host b = register("host-b");
        Vm vm = placedVm("web", a);

        assertThat(claimPlacement(vm.id(), b.id(), b.resourceGeneration(), SMALL, at(5)))
                .isEqualTo(new ClaimResult.VmChanged(vm.id()));
        assertThat(reload(b)).isEqualTo(b);
        assertThat(reload(vm)).isEqualTo(vm);
    }

    @Test
    default void aClaimOfAnUnknownVmIsVmChanged() {
        Host host = register("host-a");

        UUID unknown = UUID.randomUUID();
        assertThat(claimPlacement(unknown, host.id(), host.resourceGeneration(), SMALL, at(5)))
                .isEqualTo(new ClaimResult.VmChanged(unknown));
        assertThat(reload(host)).isEqualTo(host);
    }

    @Test
    default void aClaimOfAVmBeingDeletedOrDeletedOrInErrorIsVmChanged() {
        Host host = register("host-a");
        Vm beingDeleted = createVm("being-deleted");
        store().vms()
                .updateSpec(
                        beingDeleted.id(),
                        1,
                        beingDeleted.epoch(),
                        2,
                        DesiredState.DELETED,
                        0,
                        VmState.PENDING,
                        null,
                        at(1));
        Vm deleted = createVm("deleted");
        store().claims().releaseAndMarkDeleted(deleted.id(), at(1));
        Vm failed = createVm("failed");
        store().vms().markUnplaceable(failed.id(), 1, "no host", at(1));

        for (Vm vm : List.of(beingDeleted, deleted, failed)) {
            assertThat(claimPlacement(vm.id(), host.id(), host.resourceGeneration(), SMALL, at(5)))
                    .as(vm.name())
                    .isEqualTo(new ClaimResult.VmChanged(vm.id()));
        }
        assertThat(reload(host)).isEqualTo(host);
    }

    /**
     * A delete that read the VM before it was placed derives "DELETED at once"; a claim in between places the VM
     * without changing its spec, so the write must be refused on the placement epoch, or the VM would be DELETED
     * with its allocation held (found by the simulator, seed 131).
     */
    @Test
    default void aSpecDerivedBeforeAClaimIsRefusedAfterIt() {
        Host host = register("host-a");
        Vm read = createVm("web");
        assertThat(claimPlacement(read.id(), host.id(), host.resourceGeneration(), SMALL, at(1)))
                .isInstanceOf(ClaimResult.Claimed.class);

        assertThat(store().vms()
                        .updateSpec(
                                read.id(),
                                read.generation(),
                                read.epoch(),
                                read.generation() + 1,
                                DesiredState.DELETED,
                                0,
                                VmState.DELETED,
                                null,
                                at(2)))
                .isFalse();
        Vm after = reload(read);
        assertThat(after.state()).isEqualTo(VmState.SCHEDULED);
        assertThat(after.hostId()).isEqualTo(host.id());
    }

    /** A VM that cannot be claimed is not worth re-planning, so that outcome wins over a moved host. */
    @Test
    default void vmChangedWinsOverHostChanged() {
        Host host = register("host-a");
        Vm vm = placedVm("web", host);

        assertThat(claimPlacement(vm.id(), host.id(), host.resourceGeneration(), SMALL, at(5)))
                .isEqualTo(new ClaimResult.VmChanged(vm.id()));
    }

    @Test
    default void releaseFreesTheAllocationAndMarksTheVmDeleted() {
        Host host = register("host-a");
        Vm vm = placedVm("web", host);
        store().vms()
                .updateStatus(
                        vm.id(), vm.generation(), vm.epoch(), VmState.RUNNING, null, vm.generation(), at(2), at(2));
        store().vms()
                .updateSpec(
                        vm.id(),
                        vm.generation(),
                        vm.epoch(),
                        vm.generation() + 1,
                        DesiredState.DELETED,
                        0,
                        VmState.DELETING,
                        null,
                        at(3));
        Host placedHost = reload(host);

        store().claims().releaseAndMarkDeleted(vm.id(), at(4));

        Host after = reload(host);
        assertThat(after.allocated()).isEqualTo(Resources.ZERO);
        assertThat(after.resourceGeneration()).isEqualTo(placedHost.resourceGeneration() + 1);
        Vm deleted = reload(vm);
        assertThat(deleted.state()).isEqualTo(VmState.DELETED);
        assertThat(deleted.stateReason()).isNull();
        assertThat(deleted.observedGeneration()).isEqualTo(deleted.generation());
        assertThat(deleted.startedAt()).isNull();
        assertThat(deleted.updatedAt()).isEqualTo(at(4));
        assertThat(store().vms().listByHost(host.id())).isEmpty();
        assertThat(store().vms().findByName(ADMIN, "web")).isEmpty();
    }

    @Test
    default void aHostConfirmsADeletionOnlyWhereItSawTheVm() {
        Host host = register("host-a");
        Host other = register("host-b");
        Vm vm = placedVm("web", host);

        assertThat(store().claims().releaseAndMarkDeleted(vm.id(), other.id(), vm.epoch(), at(4)))
                .as("another host's report")
                .isFalse();
        assertThat(store().claims().releaseAndMarkDeleted(vm.id(), host.id(), vm.epoch() - 1, at(4)))
                .as("an older placement's report")
                .isFalse();
        assertThat(reload(vm).state()).as("nothing changed").isEqualTo(vm.state());
        assertThat(reload(host).allocated()).isNotEqualTo(Resources.ZERO);

        assertThat(store().claims().releaseAndMarkDeleted(vm.id(), host.id(), vm.epoch(), at(5)))
                .isTrue();
        assertThat(reload(vm).state()).isEqualTo(VmState.DELETED);
        assertThat(reload(host).allocated()).isEqualTo(Resources.ZERO);
    }

    @Test
    default void releaseIsIdempotent() {
        Host host = register("host-a");
        Vm vm = placedVm("web", host);
        store().claims().releaseAndMarkDeleted(vm.id(), at(4));
        Host released = reload(host);

        store().claims().releaseAndMarkDeleted(vm.id(), at(5));

        assertThat(reload(host)).isEqualTo(released);
        assertThat(reload(vm).state()).isEqualTo(VmState.DELETED);
    }

    @Test
    default void releasingAnUnplacedOrUnknownVmTouchesNoHost() {
        Host host = register("host-a");
        Vm vm = createVm("web");

        store().claims().releaseAndMarkDeleted(vm.id(), at(4));
        store().claims().releaseAndMarkDeleted(UUID.randomUUID(), at(4));

        assertThat(reload(host)).isEqualTo(host);
        assertThat(reload(vm).state()).isEqualTo(VmState.DELETED);
    }

    @Test
    default void releasedCapacityCanBeClaimedAgain() {
        Host host = register("host-a");
        Vm whole = createVm("whole");
        claimPlacement(whole.id(), host.id(), host.resourceGeneration(), HOST_CAPACITY, at(1));
        Vm next = createVm("next");
        assertThat(claimPlacement(next.id(), host.id(), reload(host).resourceGeneration(), SMALL, at(2)))
                .isEqualTo(new ClaimResult.HostChanged(host.id()));

        store().claims().releaseAndMarkDeleted(whole.id(), at(3));

        assertThat(claimPlacement(next.id(), host.id(), reload(host).resourceGeneration(), SMALL, at(4)))
                .isInstanceOf(ClaimResult.Claimed.class);
        assertThat(reload(host).allocated()).isEqualTo(SMALL);
    }

    @Test
    default void racingClaimsAndDeletesNeverOverAllocate() throws Exception {
        new ClaimRace(store(), flavor(), image(), ClaimRace.SEED).run();
    }
}
