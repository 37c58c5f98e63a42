package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.Host;
import io.vireo.model.Vm;
import io.vireo.model.VmStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link VmStatsRepository}: the latest sample per VM, written only by the host the VM is placed on. */
interface VmStatsContract extends StoreContract {
    static VmStats sample(Vm vm, long seconds, long cpuMillis) {
        return new VmStats(
                vm.id(),
                StoreContract.T0.plusSeconds(seconds),
                new VmStats.Cpu(seconds == 0 ? null : 12.5, cpuMillis, 1),
                new VmStats.Memory(200L << 20, 1L << 30, seconds == 0 ? null : 1L << 30, 700L << 20),
                new VmStats.Disk(4096, 512, 8, 1),
                null,
                false);
    }

    @Test
    default void theLatestSampleOfAPlacedVmIsKept() {
        Host host = register("node-1");
        Vm vm = placedVm("web", host);
        Vm unplaced = createVm("db");
        assertThat(store().vmStats().find(vm.id())).isEmpty();

        store().vmStats().record(host.id(), List.of(sample(vm, 0, 100), sample(unplaced, 0, 5)), at(1));
        assertThat(store().vmStats().find(vm.id())).contains(sample(vm, 0, 100));
        assertThat(store().vmStats().find(unplaced.id()))
                .as("not placed on the host")
                .isEmpty();

        store().vmStats().record(host.id(), List.of(sample(vm, 2, 300)), at(3));
        assertThat(store().vmStats().find(vm.id())).contains(sample(vm, 2, 300));
        store().vmStats().record(host.id(), List.of(), at(4));
        assertThat(store().vmStats().find(vm.id())).contains(sample(vm, 2, 300));
    }

    @Test
    default void anotherHostCannotWriteAVmsSample() {
        Host host = register("node-1");
        Host other = register("node-2");
        Vm vm = placedVm("web", host);

        store().vmStats().record(other.id(), List.of(sample(vm, 0, 100)), at(1));

        assertThat(store().vmStats().find(vm.id())).isEmpty();
    }

    @Test
    default void networkCountersAndSyntheticSurviveTheRoundTrip() {
        Host host = register("node-1");
        Vm vm = placedVm("web", host);
        VmStats withNetwork = new VmStats(
                vm.id(),
                at(5),
                new VmStats.Cpu(0.0, 0, 2),
                new VmStats.Memory(0, 0, null, null),
                VmStats.Disk.NONE,
                new VmStats.Network(1500, 60),
                true);

        store().vmStats().record(host.id(), List.of(withNetwork), at(6));

        assertThat(store().vmStats().find(vm.id())).contains(withNetwork);
    }
}
