package io.vireo.scheduler.plugins.excludedhosts;

import static io.vireo.scheduler.testing.PluginHarness.OK;
import static io.vireo.scheduler.testing.PluginHarness.verdicts;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.id;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.PlacementRequest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExcludedHostsFilterTest {
    private static final String EXCLUDED = "excluded by the request";

    record Case(String name, List<String> excluded, List<String> expected) {}

    static Stream<Case> cases() {
        return Stream.of(
                new Case("nothing excluded", List.of(), List.of("skip", "skip", "skip")),
                new Case("one excluded", List.of("b"), List.of(OK, EXCLUDED, OK)),
                new Case("two excluded", List.of("a", "c"), List.of(EXCLUDED, OK, EXCLUDED)),
                new Case("unknown host only", List.of("zzz"), List.of("skip", "skip", "skip")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void excludedHostsAreRejected(Case c) {
        PlacementRequest.Builder request = request();
        c.excluded().forEach(name -> request.excludeHost(id(name)));

        assertThat(verdicts(new ExcludedHostsFilter(), snapshot(host("a"), host("b"), host("c")), request.build()))
                .containsExactlyElementsOf(c.expected());
    }
}
