package io.vireo.scheduler.plugins.requiredhost;

import static io.vireo.scheduler.testing.PluginHarness.OK;
import static io.vireo.scheduler.testing.PluginHarness.verdicts;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.id;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.RequiredHost;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RequiredHostFilterTest {
    private static final String ROLE = "the host holding volume 'data1'";
    private static final String OTHER = "not " + ROLE;
    private static final String MISSING = ROLE + " is not among the hosts";

    record Case(String name, @Nullable String required, List<String> expected) {}

    static Stream<Case> cases() {
        return Stream.of(
                new Case("nothing required", null, List.of("skip", "skip", "skip")),
                new Case("the middle host", "b", List.of(OTHER, OK, OTHER)),
                new Case("the first host", "a", List.of(OK, OTHER, OTHER)),
                new Case("a host the snapshot lacks", "zzz", List.of(MISSING, MISSING, MISSING)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onlyTheRequiredHostIsKept(Case c) {
        PlacementRequest.Builder request = request();
        String required = c.required();
        if (required != null) {
            request.requiredHost(new RequiredHost(id(required), ROLE));
        }

        assertThat(verdicts(new RequiredHostFilter(), snapshot(host("a"), host("b"), host("c")), request.build()))
                .containsExactlyElementsOf(c.expected());
    }
}
