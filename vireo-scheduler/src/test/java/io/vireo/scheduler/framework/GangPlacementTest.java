package io.vireo.scheduler.framework;

import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.id;
import static io.vireo.scheduler.testing.TestHosts.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.VireoException;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.ServerGroup;
import io.vireo.scheduler.ServerGroupPolicy;
import io.vireo.scheduler.plugins.InTreePlugins;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.HostInventory;
import io.vireo.scheduler.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GangPlacementTest {
    private final SchedulingFramework framework = InTreePlugins.framework(SchedulerSettings.DEFAULT);

    private static ClusterSnapshot hosts(int count) {
        List<HostInventory> hosts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            hosts.add(host("h" + i, 16, 65_536, 1_000).build());
        }
        return ClusterSnapshot.of(hosts);
    }

    private static GangRequest gang(int size, ServerGroup group) {
        List<UUID> vms = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            vms.add(id("vm-" + i));
        }
        return new GangRequest(request(2, 4_096, 20).serverGroup(group).build(), vms);
    }

    private static ServerGroup antiAffinity() {
        return ServerGroup.of(ServerGroupPolicy.ANTI_AFFINITY, List.of());
    }

    @Test
    void twentyAntiAffineVmsLandOnTwentyHosts() {
        var snapshot = hosts(20);

        var outcome = framework.placeGang(snapshot, gang(20, antiAffinity()), Seeds.random(5));

        assertThat(outcome).isInstanceOf(GangOutcome.Placed.class);
        var placed = (GangOutcome.Placed) outcome;
        assertThat(placed.assignments()).hasSize(20);
        assertThat(placed.assignments().stream()
                        .map(GangOutcome.Assignment::host)
                        .distinct())
                .hasSize(20);
        assertThat(placed.assignments().get(3).vmId()).isEqualTo(id("vm-3"));
        for (int h = 0; h < 20; h++) {
            assertThat(placed.snapshotAfter().used(ClusterSnapshot.VCPU, h)).isEqualTo(2);
            assertThat(placed.snapshotAfter().resourceGeneration(h)).isEqualTo(1);
        }
    }

    @Test
    void twentyAntiAffineVmsOnNineteenHostsPlaceNone() {
        var snapshot = hosts(19);
        List<HostInventory> before = snapshot.inventories();

        var outcome = framework.placeGang(snapshot, gang(20, antiAffinity()), Seeds.random(5));

        assertThat(outcome).isInstanceOf(GangOutcome.Unschedulable.class);
        var none = (GangOutcome.Unschedulable) outcome;
        assertThat(none.failedMember()).isEqualTo(19);
        assertThat(none.explanation().text())
                .isEqualTo("gang of 20 VMs, none placed: member 20 found no valid host among 19 hosts: "
                        + "ServerGroupAffinity: 19 hosts (holds 1 member of the group already)");
        assertThat(snapshot.inventories()).isEqualTo(before);
    }

    @Test
    void anAffinityGangSharesOneHost() {
        var outcome = framework.placeGang(
                hosts(10), gang(4, ServerGroup.of(ServerGroupPolicy.AFFINITY, List.of())), Seeds.random(9));

        assertThat(outcome).isInstanceOf(GangOutcome.Placed.class);
        assertThat(((GangOutcome.Placed) outcome)
                        .assignments().stream()
                                .map(GangOutcome.Assignment::host)
                                .distinct())
                .hasSize(1);
    }

    @Test
    void aGangThatOutgrowsTheClusterPlacesNone() {
        // each host takes 8 of these VMs (16 VCPU / 2): 3 hosts take 24
        assertThat(framework.placeGang(hosts(3), gang(24, ServerGroup.NONE), Seeds.random(1)))
                .isInstanceOf(GangOutcome.Placed.class);

        var outcome = framework.placeGang(hosts(3), gang(25, ServerGroup.NONE), Seeds.random(1));

        assertThat(outcome).isInstanceOf(GangOutcome.Unschedulable.class);
        assertThat(((GangOutcome.Unschedulable) outcome).explanation().text())
                .endsWith("ResourceFit: 3 hosts (VCPU short)");
    }

    @Test
    void aFailedReservationUnreservesEveryMemberInReverse() {
        var recorder = new RecordingReservePlugin(2);
        var registry = InTreePlugins.registry().toBuilder()
                .register(RecordingReservePlugin.NAME, () -> recorder)
                .build();
        var profile = new Profile(
                "recording",
                List.of(
                        PluginSpec.of("ResourceFit"),
                        PluginSpec.of("Spread"),
                        PluginSpec.of(RecordingReservePlugin.NAME)));
        var framework = SchedulingFramework.create(profile, registry, SchedulerSettings.DEFAULT);

        var outcome = framework.placeGang(hosts(5), gang(4, ServerGroup.NONE), Seeds.random(1));

        assertThat(outcome).isInstanceOf(GangOutcome.Unschedulable.class);
        assertThat(((GangOutcome.Unschedulable) outcome).failedMember()).isEqualTo(2);
        assertThat(((GangOutcome.Unschedulable) outcome).explanation().text())
                .contains("Recording: 1 host (no reservation for member 2)");
        assertThat(recorder.calls)
                .containsExactly("reserve 0", "reserve 1", "reserve 2", "unreserve 2", "unreserve 1", "unreserve 0");
    }

    @Test
    void gangsAreBounded() {
        var settings = new SchedulerSettings("default", 100, 100, 3);

        assertThatThrownBy(() -> InTreePlugins.framework(settings)
                        .placeGang(hosts(5), gang(4, ServerGroup.NONE), Seeds.random(1)))
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("at most 3 VMs");
    }

    /** A hand-written fake Reserve plugin: records calls, refuses member {@code failAt}. */
    static final class RecordingReservePlugin implements ReservePlugin {
        static final String NAME = "Recording";
        final List<String> calls = new ArrayList<>();
        private final int failAt;

        RecordingReservePlugin(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Status reserve(CycleState state, int host) {
            calls.add("reserve " + state.member());
            assertThat(state.snapshot().used(ClusterSnapshot.VCPU, host)).isPositive(); // the claim comes first
            return state.member() == failAt
                    ? Status.unschedulable(NAME, "no reservation for member " + state.member())
                    : Status.SUCCESS;
        }

        @Override
        public void unreserve(CycleState state, int host) {
            calls.add("unreserve " + state.member());
        }
    }

    @Test
    void aSingleVmIsAGangOfOne() {
        PlacementRequest request = request().build();

        var single = framework.place(hosts(4), request, Seeds.random(2));
        var gang = framework.placeGang(hosts(4), new GangRequest(request, List.of(request.vmId())), Seeds.random(2));

        assertThat(((PlacementOutcome.Placed) single).host())
                .isEqualTo(((GangOutcome.Placed) gang).assignments().get(0).host());
    }
}
