package io.vireo.scheduler.plugins.resourcefit;

import static io.vireo.scheduler.testing.PluginHarness.OK;
import static io.vireo.scheduler.testing.PluginHarness.verdicts;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.snapshot.HostInventory;
import io.vireo.scheduler.snapshot.ResourceClass;
import io.vireo.scheduler.snapshot.ResourceInventory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceFitFilterTest {
    private static final ResourceClass GPU = ResourceClass.of("GPU");

    record Case(String name, HostInventory.Builder host, PlacementRequest.Builder request, String expected) {}

    static Stream<Case> cases() {
        return Stream.of(
                new Case("fits exactly", host("h", 4, 8_192, 100), request(4, 8_192, 100), OK),
                new Case("memory short", host("h", 4, 8_192, 100), request(1, 8_193, 10), "MEMORY_MIB short"),
                new Case("disk short", host("h", 4, 8_192, 100), request(1, 1_024, 101), "DISK_GIB short"),
                new Case(
                        "VCPU and memory short: first class named",
                        host("h", 4, 8_192, 100),
                        request(5, 9_000, 10),
                        "VCPU short"),
                new Case(
                        "VCPU overcommitted 4x has room",
                        host("h", 4, 8_192, 100).resource(ResourceClass.VCPU, new ResourceInventory(16, 0, 4.0, 60)),
                        request(4, 1_024, 10),
                        OK),
                new Case(
                        "VCPU overcommitted 4x is full",
                        host("h", 4, 8_192, 100).resource(ResourceClass.VCPU, new ResourceInventory(16, 0, 4.0, 60)),
                        request(5, 1_024, 10),
                        "VCPU short"),
                new Case(
                        "ratio rounds down",
                        host("h", 4, 8_192, 100)
                                .resource(ResourceClass.MEMORY_MIB, new ResourceInventory(3, 0, 1.5, 0)),
                        request(1, 5, 10),
                        "MEMORY_MIB short"),
                new Case(
                        "reserved memory is not offered",
                        host("h", 4, 8_192, 100)
                                .resource(ResourceClass.MEMORY_MIB, new ResourceInventory(8_192, 1_024, 1.0, 0)),
                        request(1, 7_169, 10),
                        "MEMORY_MIB short"),
                new Case(
                        "used beyond a lowered ratio",
                        host("h", 4, 8_192, 100).resource(ResourceClass.VCPU, new ResourceInventory(4, 0, 1.0, 6)),
                        request(1, 1_024, 10),
                        "VCPU short"),
                new Case(
                        "GPU free",
                        host("h", 4, 8_192, 100).resource(GPU, 2, 1),
                        request(1, 1_024, 10).customResource(GPU, 1),
                        OK),
                new Case(
                        "GPU taken",
                        host("h", 4, 8_192, 100).resource(GPU, 2, 1),
                        request(1, 1_024, 10).customResource(GPU, 2),
                        "GPU short"),
                new Case(
                        "GPU nowhere",
                        host("h", 4, 8_192, 100),
                        request(1, 1_024, 10).customResource(GPU, 1),
                        "no host offers GPU"),
                new Case("asks for nothing", host("h", 0, 0, 0), request(0, 0, 0), "skip"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void roomForEveryClassWithinItsRatio(Case c) {
        assertThat(verdicts(
                        new ResourceFitFilter(), snapshot(c.host()), c.request().build()))
                .containsExactly(c.expected());
    }

    @Test
    void hostWithoutTheClassIsShortOfIt() {
        var gpuHost = host("gpu", 4, 8_192, 100).resource(GPU, 1, 0);
        var plainHost = host("plain", 64, 65_536, 1_000);
        var verdicts = verdicts(
                new ResourceFitFilter(),
                snapshot(gpuHost, plainHost),
                request(1, 1, 1).customResource(GPU, 1).build());

        assertThat(verdicts).containsExactly(OK, "GPU short");
    }
}
