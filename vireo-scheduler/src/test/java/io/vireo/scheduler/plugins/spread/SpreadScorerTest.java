package io.vireo.scheduler.plugins.spread;

import static io.vireo.scheduler.testing.PluginHarness.scores;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.snapshot.ResourceClass;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SpreadScorerTest {
    record Case(String name, long usedVcpus, long usedMemoryMib, double expected) {}

    // 16 VCPU, 64 GiB hosts; the request takes 2 VCPU and 8 GiB (1/8 of each)
    static Stream<Case> cases() {
        return Stream.of(
                new Case("empty host", 0, 0, 87.5),
                new Case("half used", 8, 32_768, 37.5),
                new Case("CPU full, memory empty", 14, 0, 43.75),
                new Case("overcommitted beyond capacity clamps to 0", 20, 65_536, 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void freeShareAfterPlacement(Case c) {
        var snapshot = snapshot(host("h", 16, 65_536, 1_000)
                .resource(ResourceClass.VCPU, 16, c.usedVcpus())
                .resource(ResourceClass.MEMORY_MIB, 65_536, c.usedMemoryMib()));

        assertThat(scores(new SpreadScorer(), snapshot, request(2, 8_192, 0).build()))
                .containsExactly(c.expected());
    }
}
