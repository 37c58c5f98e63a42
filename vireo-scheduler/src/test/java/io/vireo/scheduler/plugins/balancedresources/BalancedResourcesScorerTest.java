package io.vireo.scheduler.plugins.balancedresources;

import static io.vireo.scheduler.testing.PluginHarness.scores;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.snapshot.ResourceClass;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BalancedResourcesScorerTest {
    record Case(String name, long usedVcpus, long usedMemoryMib, double expected) {}

    // 16 VCPU, 64 GiB hosts; the request takes 2 VCPU and 8 GiB (1/8 of each)
    static Stream<Case> cases() {
        return Stream.of(
                new Case("both half used after", 6, 24_576, 100.0),
                new Case("CPU full, memory at 1/8", 14, 0, 56.25),
                new Case("CPU at 1/2, memory at 1/4", 6, 8_192, 87.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneMinusStandardDeviationOfUsedShares(Case c) {
        var snapshot = snapshot(host("h", 16, 65_536, 1_000)
                .resource(ResourceClass.VCPU, 16, c.usedVcpus())
                .resource(ResourceClass.MEMORY_MIB, 65_536, c.usedMemoryMib()));

        assertThat(scores(
                        new BalancedResourcesScorer(),
                        snapshot,
                        request(2, 8_192, 0).build()))
                .containsExactly(new double[] {c.expected()}, Offset.offset(1e-9));
    }
}
