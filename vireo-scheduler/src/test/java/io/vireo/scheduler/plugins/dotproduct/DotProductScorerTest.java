package io.vireo.scheduler.plugins.dotproduct;

import static io.vireo.scheduler.testing.PluginHarness.scores;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.snapshot.ResourceClass;
import org.junit.jupiter.api.Test;

class DotProductScorerTest {
    @Test
    void memoryHeavyVmGoesWhereMemoryIsLeft() {
        // both 16 VCPU / 64 GiB; "cpu-left" has CPUs free but little memory, "memory-left" the reverse
        var snapshot = snapshot(
                host("cpu-left", 16, 65_536, 1_000)
                        .resource(ResourceClass.VCPU, 16, 0)
                        .resource(ResourceClass.MEMORY_MIB, 65_536, 49_152),
                host("memory-left", 16, 65_536, 1_000)
                        .resource(ResourceClass.VCPU, 16, 12)
                        .resource(ResourceClass.MEMORY_MIB, 65_536, 0));

        // demand shares (1/16, 1/4); free shares (1, 1/4) and (1/4, 1): dot products 0.125 and 0.265625
        double[] scores =
                scores(new DotProductScorer(), snapshot, request(1, 16_384, 0).build());

        assertThat(scores).containsExactly(100.0 * 0.125 / 0.265625, 100.0);
    }

    @Test
    void skipsARequestForNothing() {
        assertThat(scores(
                        new DotProductScorer(),
                        snapshot(host("h")),
                        request(0, 0, 0).build()))
                .isNull();
    }
}
