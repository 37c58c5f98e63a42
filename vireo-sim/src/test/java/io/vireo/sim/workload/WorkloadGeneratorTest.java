package io.vireo.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.snapshot.HostInventory;
import io.vireo.scheduler.snapshot.ResourceClass;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkloadGeneratorTest {
    private static final int VMS = 20_000;

    @Test
    void theSameSeedGivesTheSameSequence() {
        List<Shape> first = new WorkloadGenerator(new SplittableRandom(7)).vms(1_000);
        List<Shape> again = new WorkloadGenerator(new SplittableRandom(7)).vms(1_000);
        List<Shape> other = new WorkloadGenerator(new SplittableRandom(8)).vms(1_000);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void theMixIsMostlySmallWithALongTail() {
        List<Shape> vms = new WorkloadGenerator(new SplittableRandom(11)).vms(VMS);

        assertThat(share(vms, 1, 2)).isBetween(0.47, 0.53);
        assertThat(share(vms, 4, 4)).isBetween(0.22, 0.28);
        assertThat(share(vms, 8, 8)).isBetween(0.13, 0.17);
        assertThat(share(vms, 16, 32)).isBetween(0.08, 0.12);
        assertThat(vms).allSatisfy(vm -> {
            assertThat(vm.memoryMib() / vm.vcpus()).isIn(2_048L, 4_096L, 8_192L);
            assertThat(vm.diskGib()).isIn(20L, 40L, 80L, 160L);
            assertThat(vm.nicMbps() / vm.vcpus()).isIn(250L, 500L, 1_000L);
            assertThat(vm.dominantShare(Shape.HOST)).isLessThanOrEqualTo(1.0);
        });
    }

    @Test
    void prefilledHostsAreDeterministicAndWithinCapacity() {
        List<HostInventory> hosts = new ClusterBuilder(new SplittableRandom(3)).hosts(100, 0.85);

        assertThat(new ClusterBuilder(new SplittableRandom(3)).hosts(100, 0.85)).isEqualTo(hosts);
        assertThat(hosts).allSatisfy(host -> {
            long used = host.resource(ResourceClass.VCPU).used();
            assertThat(used).isBetween(Math.round(64 * 0.85 * 0.8), 64L);
            assertThat(host.resource(ClusterBuilder.NIC_MBPS).free()).isNotNegative();
        });
        assertThat(new ClusterBuilder(new SplittableRandom(3)).hosts(10, 0))
                .allSatisfy(host -> assertThat(
                                host.resource(ResourceClass.MEMORY_MIB).used())
                        .isZero());
    }

    private static double share(List<Shape> vms, long minVcpus, long maxVcpus) {
        long count = vms.stream()
                .filter(vm -> vm.vcpus() >= minVcpus && vm.vcpus() <= maxVcpus)
                .count();
        return count / (double) vms.size();
    }
}
