package io.vireo.scheduler.plugins.pack;

import static io.vireo.scheduler.testing.PluginHarness.scores;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.snapshot.ResourceClass;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PackScorerTest {
    record Case(String name, long usedVcpus, long usedMemoryMib, double expected) {}

    // 16 VCPU, 64 GiB hosts; the request takes 2 VCPU and 8 GiB (1/8 of each)
    static Stream<Case> cases() {
        return Stream.of(
                new Case("empty host", 0, 0, 12.5),
                new Case("half used", 8, 32_768, 62.5),
                new Case("filled up by this VM", 14, 57_344, 100.0),
                new Case("overcommitted beyond capacity clamps to 100", 20, 65_536, 100.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void usedShareAfterPlacement(Case c) {
        var snapshot = snapshot(host("h", 16, 65_536, 1_000)
                .resource(ResourceClass.VCPU, 16, c.usedVcpus())
                .resource(ResourceClass.MEMORY_MIB, 65_536, c.usedMemoryMib()));

        assertThat(scores(new PackScorer(), snapshot, request(2, 8_192, 0).build()))
                .containsExactly(c.expected());
    }
}
