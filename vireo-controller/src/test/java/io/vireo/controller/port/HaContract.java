package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.GuestSpec;
import io.vireo.model.HaPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.PlacementConstraints;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The store's part of host leases and HA restarts (ADR 19): conditional host states, lease ages, releases. */
interface HaContract extends StoreContract {

    @Test
    default void aHostChangesStateOnlyFromTheStateTheCallerSaw() {
        Host host = register("host-a");

        assertThat(store().hosts().transition(host.id(), HostState.SUSPECT, HostState.FENCED))
                .isFalse();
        assertThat(reload(host).state()).isEqualTo(HostState.UP);
        assertThat(store().hosts().transition(host.id(), HostState.UP, HostState.SUSPECT))
                .isTrue();
        assertThat(store().hosts().transition(host.id(), HostState.SUSPECT, HostState.FENCED))
                .isTrue();
        assertThat(reload(host).state()).isEqualTo(HostState.FENCED);
        assertThat(store().hosts().transition(UUID.randomUUID(), HostState.UP, HostState.DOWN))
                .isFalse();
    }

    @Test
    default void onlyHostsWhoseGuardRenewedHaveALeaseAndUnknownHostsAreSkipped() {
        Host guarded = register("host-a");
        Host unguarded = register("host-b");

        store().hosts().recordLeaseRenewals(List.of(guarded.id(), UUID.randomUUID()), at(10));

        Map<UUID, Duration> ages = store().hosts().leaseAges(at(12));
        assertThat(ages).containsOnlyKeys(guarded.id());
        assertThat(ages.get(guarded.id())).isBetween(Duration.ZERO, Duration.ofHours(1));
        assertThat(ages).doesNotContainKey(unguarded.id());
        assertThat(reload(guarded).lastHeartbeatAt()).isEqualTo(T0); // a renewal is not a heartbeat
    }

    @Test
    default void aVmOfAFencedHostIsReleasedForRestartOnceAndThenPlacedElsewhereAtANewEpoch() {
        Host lost = register("host-a");
        Host other = register("host-b");
        Vm vm = placedVm("web", lost);
        long lostGeneration = reload(lost).resourceGeneration();

        assertThat(store().claims().releaseForRestart(vm.id(), lost.id(), vm.epoch(), "host lost", at(5)))
                .as("refused while the host is UP")
                .isFalse();
        store().hosts().transition(lost.id(), HostState.UP, HostState.FENCED);
        assertThat(store().claims().releaseForRestart(vm.id(), lost.id(), vm.epoch() + 1, "host lost", at(5)))
                .as("refused for another epoch")
                .isFalse();
        assertThat(store().claims().releaseForRestart(vm.id(), other.id(), vm.epoch(), "host lost", at(5)))
                .as("refused for another host")
                .isFalse();

        assertThat(store().claims().releaseForRestart(vm.id(), lost.id(), vm.epoch(), "host lost", at(5)))
                .isTrue();

        Vm pending = reload(vm);
        assertThat(pending.state()).isEqualTo(VmState.PENDING);
        assertThat(pending.hostId()).isNull();
        assertThat(pending.stateReason()).isEqualTo("host lost");
        assertThat(pending.epoch()).isEqualTo(vm.epoch());
        assertThat(reload(lost).allocated()).isEqualTo(Resources.ZERO);
        assertThat(reload(lost).resourceGeneration()).isEqualTo(lostGeneration + 1);
        assertThat(store().vms().listPending(10)).extracting(Vm::id).containsExactly(vm.id());
        assertThat(store().claims().releaseForRestart(vm.id(), lost.id(), vm.epoch(), "again", at(6)))
                .isFalse();

        long otherGeneration = reload(other).resourceGeneration();
        assertThat(claimPlacement(vm.id(), other.id(), otherGeneration, vm.resources(), at(7)))
                .isInstanceOf(ClaimResult.Claimed.class);
        assertThat(reload(vm).hostId()).isEqualTo(other.id());
        assertThat(reload(vm).epoch()).isEqualTo(vm.epoch() + 1);
        assertThat(reload(other).allocated()).isEqualTo(vm.resources());
    }

    @Test
    default void aVmBeingDeletedOrAlreadyDeletedIsNotReleasedForRestart() {
        Host lost = register("host-a");
        Vm vm = placedVm("web", lost);
        store().hosts().transition(lost.id(), HostState.UP, HostState.FENCED);
        assertThat(store().claims().releaseAndMarkDeleted(vm.id(), at(4))).isTrue();

        assertThat(store().claims().releaseForRestart(vm.id(), lost.id(), vm.epoch(), "host lost", at(5)))
                .isFalse();
        assertThat(reload(vm).state()).isEqualTo(VmState.DELETED);
    }

    @Test
    default void pendingVmsAreTakenHighestHaPriorityFirstThenOldestFirst() {
        Vm old = store().vms().create(withPriority("old", 0, 1), null);
        Vm urgent = store().vms().create(withPriority("urgent", 500, 3), null);
        Vm young = store().vms().create(withPriority("young", 0, 2), null);

        assertThat(store().vms().listPending(10)).extracting(Vm::id).containsExactly(urgent.id(), old.id(), young.id());
        assertThat(store().vms().takePending(UUID.randomUUID(), 10, Duration.ofMinutes(1), at(10)))
                .extracting(Vm::id)
                .containsExactly(urgent.id(), old.id(), young.id());
        assertThat(reload(urgent).ha()).isEqualTo(new HaPolicy(HaPolicy.Mode.RESTART_FROM_IMAGE, 500));
    }

    private Vm withPriority(String name, int priority, long createdAtSecond) {
        return Vm.create(
                UUID.randomUUID(),
                ADMIN,
                name,
                at(createdAtSecond),
                flavor(),
                image(),
                PlacementConstraints.NONE,
                GuestSpec.NONE,
                new HaPolicy(HaPolicy.Mode.RESTART_FROM_IMAGE, priority));
    }
}
