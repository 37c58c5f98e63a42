package io.vireo.scheduler.plugins.availabilityzone;

import static io.vireo.scheduler.testing.PluginHarness.OK;
import static io.vireo.scheduler.testing.PluginHarness.verdicts;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.PlacementRequest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvailabilityZoneFilterTest {
    record Case(String name, List<String> zones, List<String> expected) {}

    // hosts: a in az-1, b in az-2, c in no zone
    static Stream<Case> cases() {
        return Stream.of(
                new Case("any zone", List.of(), List.of("skip", "skip", "skip")),
                new Case("az-1", List.of("az-1"), List.of(OK, "not in zone az-1", "not in zone az-1")),
                new Case("az-1 or az-2", List.of("az-2", "az-1"), List.of(OK, OK, "not in zone az-1, az-2")),
                new Case(
                        "unknown zone",
                        List.of("az-9"),
                        List.of("no host in zone az-9", "no host in zone az-9", "no host in zone az-9")),
                new Case(
                        "known and unknown",
                        List.of("az-9", "az-2"),
                        List.of("not in zone az-2, az-9", OK, "not in zone az-2, az-9")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void requestedZonesOnly(Case c) {
        PlacementRequest.Builder request = request();
        c.zones().forEach(request::availabilityZone);

        assertThat(verdicts(
                        new AvailabilityZoneFilter(),
                        snapshot(host("a").availabilityZone("az-1"), host("b").availabilityZone("az-2"), host("c")),
                        request.build()))
                .containsExactlyElementsOf(c.expected());
    }
}
