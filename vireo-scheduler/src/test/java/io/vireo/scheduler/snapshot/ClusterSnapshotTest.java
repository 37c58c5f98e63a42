package io.vireo.scheduler.snapshot;

import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.id;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.VireoException;
import io.vireo.model.HostState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSnapshotTest {
    private static final ResourceClass GPU = ResourceClass.of("GPU");
    private static final ResourceClass FPGA = ResourceClass.of("FPGA");

    @Test
    void standardClassesComeFirstThenCustomByName() {
        var snapshot = snapshot(host("a").resource(GPU, 2, 0), host("b").resource(FPGA, 1, 0));

        assertThat(snapshot.resourceClasses())
                .containsExactly(ResourceClass.VCPU, ResourceClass.MEMORY_MIB, ResourceClass.DISK_GIB, FPGA, GPU);
        assertThat(snapshot.resourceClassIndex(GPU)).isEqualTo(4);
        assertThat(snapshot.capacity(4, 1)).isZero(); // b has no GPU
    }

    @Test
    void capacityIsTotalLessReservedTimesRatioRoundedDown() {
        var snapshot = snapshot(host("a").resource(ResourceClass.VCPU, new ResourceInventory(10, 3, 2.5, 4)));

        assertThat(snapshot.capacity(ClusterSnapshot.VCPU, 0)).isEqualTo(17);
        assertThat(snapshot.free(ClusterSnapshot.VCPU, 0)).isEqualTo(13);
        assertThat(snapshot.used(ClusterSnapshot.VCPU, 0)).isEqualTo(4);
        assertThat(snapshot.inverseCapacity(ClusterSnapshot.VCPU, 0)).isEqualTo(1.0 / 17);
    }

    @Test
    void catalogsAreSortedAndIndexHosts() {
        var snapshot = snapshot(
                host("a").trait("z.last").availabilityZone("az-2").aggregate("ssd"),
                host("b").trait("a.first").availabilityZone("az-1"));

        assertThat(snapshot.traits().names()).containsExactly("a.first", "z.last");
        assertThat(snapshot.zones().names()).containsExactly("az-1", "az-2");
        assertThat(snapshot.zoneColumn().toArray()).containsExactly(1, 0);
        assertThat(snapshot.traitBits().has(0, 1)).isTrue();
        assertThat(snapshot.traitBits().has(0, 0)).isFalse();
        assertThat(snapshot.aggregateBits().has(1, 0)).isFalse();
        assertThat(snapshot.indexOf(id("b"))).isEqualTo(1);
        assertThat(snapshot.indexOf(id("nope"))).isEqualTo(-1);
    }

    @Test
    void claimDerivesANewVersionAndLeavesTheSourceAlone() {
        var before = snapshot(host("a", 8, 16_384, 100), host("b", 8, 16_384, 100));
        var demand = before.demand(Map.of(ResourceClass.VCPU, 2L, ResourceClass.MEMORY_MIB, 4_096L));

        var after = before.withClaim(1, demand);

        assertThat(after.free(ClusterSnapshot.VCPU, 1)).isEqualTo(6);
        assertThat(after.free(ClusterSnapshot.MEMORY_MIB, 1)).isEqualTo(12_288);
        assertThat(after.resourceGeneration(1)).isEqualTo(before.resourceGeneration(1) + 1);
        assertThat(after.version()).isEqualTo(before.version() + 1);
        assertThat(before.free(ClusterSnapshot.VCPU, 1)).isEqualTo(8);
        assertThat(after.freeColumn(ClusterSnapshot.DISK_GIB)).isSameAs(before.freeColumn(ClusterSnapshot.DISK_GIB));
        assertThat(after.traits()).isSameAs(before.traits());

        var released = after.withRelease(1, demand);
        assertThat(released.free(ClusterSnapshot.VCPU, 1)).isEqualTo(8);
        assertThat(released.resourceGeneration(1)).isEqualTo(before.resourceGeneration(1) + 2);
    }

    @Test
    void demandFromAnotherClassSetIsRefused() {
        var plain = snapshot(host("a"));
        var withGpu = snapshot(host("a").resource(GPU, 1, 0));

        assertThatThrownBy(() -> withGpu.withClaim(0, plain.demand(Map.of(ResourceClass.VCPU, 1L))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void demandNamesClassesNoHostOffers() {
        var demand = snapshot(host("a")).demand(Map.of(GPU, 1L, FPGA, 0L, ResourceClass.VCPU, 2L));

        assertThat(demand.unknownClasses()).containsExactly(GPU);
        assertThat(demand.demandedCount()).isEqualTo(1);
        assertThat(demand.scoringCount()).isEqualTo(2); // VCPU and MEMORY_MIB always
    }

    @Test
    void inventoryRoundTrips() {
        HostInventory original = host("a")
                .state(HostState.MAINTENANCE)
                .resourceGeneration(41)
                .resource(ResourceClass.VCPU, new ResourceInventory(16, 2, 4.0, 30))
                .resource(GPU, 4, 1)
                .trait("cpu.avx2")
                .availabilityZone("az-1")
                .aggregate("ssd")
                .recentFailures(2)
                .build();

        assertThat(ClusterSnapshot.of(List.of(original)).inventory(0)).isEqualTo(original);
    }

    @Test
    void newUsageOfAKnownHostUpdatesOnlyItsSlots() {
        var before = snapshot(host("a"), host("b").trait("cpu.avx2"));
        HostInventory fresher = host("b")
                .trait("cpu.avx2")
                .state(HostState.DOWN)
                .resourceGeneration(7)
                .resource(ResourceClass.VCPU, 16, 5)
                .build();

        var after = before.withHost(fresher);

        assertThat(after.inventory(1)).isEqualTo(fresher);
        assertThat(after.traits()).isSameAs(before.traits()); // same table: not rebuilt
        assertThat(after.freeColumn(ClusterSnapshot.MEMORY_MIB))
                .isSameAs(before.freeColumn(ClusterSnapshot.MEMORY_MIB));
    }

    @Test
    void newStaticFactsOrNewHostsRebuild() {
        var before = snapshot(host("a"), host("b"));

        var retrait = before.withHost(host("b").trait("net.sriov").build());
        var grown = before.withHost(host("c").build());
        var shrunk = before.withoutHost(id("a"));

        assertThat(retrait.traits().names()).containsExactly("net.sriov");
        assertThat(retrait.traitBits().has(1, 0)).isTrue();
        assertThat(grown.hostCount()).isEqualTo(3);
        assertThat(grown.indexOf(id("c"))).isEqualTo(2);
        assertThat(shrunk.hostCount()).isEqualTo(1);
        assertThat(shrunk.indexOf(id("b"))).isZero();
        assertThat(List.of(retrait.version(), grown.version(), shrunk.version()))
                .containsOnly(1L);
    }

    @Test
    void stateAndFailuresDerive() {
        var before = snapshot(host("a"));

        var after = before.withHostState(0, HostState.DOWN).withRecentFailures(0, 3);

        assertThat(after.state(0)).isEqualTo(HostState.DOWN);
        assertThat(after.recentFailures(0)).isEqualTo(3);
        assertThat(before.state(0)).isEqualTo(HostState.UP);
        assertThat(after.version()).isEqualTo(2);
    }

    @Test
    void hostsMustBeUnique() {
        assertThatThrownBy(() -> snapshot(host("a"), host("a")))
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("appears twice");
    }

    @Test
    void emptyCluster() {
        var snapshot = ClusterSnapshot.of(List.of());

        assertThat(snapshot.hostCount()).isZero();
        assertThat(snapshot.resourceClasses()).hasSize(3);
    }
}
