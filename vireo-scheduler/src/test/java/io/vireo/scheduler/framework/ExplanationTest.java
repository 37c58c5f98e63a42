package io.vireo.scheduler.framework;

import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.HostState;
import io.vireo.scheduler.LabelRequirement;
import io.vireo.scheduler.plugins.InTreePlugins;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.HostInventory;
import io.vireo.scheduler.testing.Seeds;
import io.vireo.scheduler.testing.TestHosts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplanationTest {
    private final SchedulingFramework framework = InTreePlugins.framework(SchedulerSettings.DEFAULT);

    private Explanation explain(ClusterSnapshot snapshot, io.vireo.scheduler.PlacementRequest request) {
        PlacementOutcome outcome = framework.place(snapshot, request, Seeds.random(1));
        assertThat(outcome).isInstanceOf(PlacementOutcome.Unschedulable.class);
        return ((PlacementOutcome.Unschedulable) outcome).explanation();
    }

    @Test
    void everyFilterSaysHowManyHostsItRejectedAndWhy() {
        List<HostInventory> hosts = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            HostInventory.Builder host = host("h" + i, 16, 4_096, 100);
            hosts.add((i < 188 ? host.state(HostState.DOWN) : host).build());
        }

        Explanation explanation =
                explain(ClusterSnapshot.of(hosts), request(1, 8_192, 10).build());

        assertThat(explanation.text())
                .isEqualTo("no valid host among 10,000 hosts: HostState: 188 hosts (host DOWN); "
                        + "ResourceFit: 9,812 hosts (MEMORY_MIB short)");
        assertThat(explanation.countsByPlugin())
                .containsExactly(java.util.Map.entry("HostState", 188), java.util.Map.entry("ResourceFit", 9_812));
    }

    @Test
    void severalReasonsOfOneFilterMostFrequentFirst() {
        var snapshot = TestHosts.snapshot(
                host("a", 1, 65_536, 100),
                host("b", 1, 65_536, 100),
                host("c", 16, 1_024, 100),
                host("d", 16, 65_536, 100).trait("net.sriov"));

        Explanation explanation = explain(
                snapshot,
                request(4, 4_096, 10)
                        .traits(LabelRequirement.forbidden("net.sriov"))
                        .build());

        assertThat(explanation.text())
                .isEqualTo("no valid host among 4 hosts: Traits: 1 host (has forbidden trait net.sriov); "
                        + "ResourceFit: 3 hosts (VCPU short: 2, MEMORY_MIB short: 1)");
    }

    @Test
    void aPreFilterThatRulesOutEveryHostIsBlamedForAll() {
        var snapshot = TestHosts.snapshot(host("a").trait("cpu.avx2"), host("b"), host("c"));

        Explanation explanation = explain(
                snapshot,
                request().traits(LabelRequirement.required("cpu.avx512")).build());

        assertThat(explanation.text())
                .isEqualTo("no valid host among 3 hosts: Traits: 3 hosts (no host has trait cpu.avx512)");
    }

    @Test
    void anEmptyCluster() {
        assertThat(explain(ClusterSnapshot.of(List.of()), request().build()).text())
                .isEqualTo("no valid host: the cluster has no hosts");
    }
}
