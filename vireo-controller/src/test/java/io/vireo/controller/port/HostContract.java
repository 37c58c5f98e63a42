package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.ErrorCode;
import io.vireo.model.Host;
import io.vireo.model.HostDrain;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;
import java.util.List;
import java.util.UUID;
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
}
