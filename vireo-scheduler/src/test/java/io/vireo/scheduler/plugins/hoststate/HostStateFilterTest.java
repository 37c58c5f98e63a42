package io.vireo.scheduler.plugins.hoststate;

import static io.vireo.scheduler.testing.PluginHarness.OK;
import static io.vireo.scheduler.testing.PluginHarness.verdicts;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.HostState;
import io.vireo.scheduler.snapshot.HostInventory;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HostStateFilterTest {
    record Case(String name, List<HostState> states, List<String> expected) {}

    static Stream<Case> cases() {
        return Stream.of(
                new Case("up", List.of(HostState.UP), List.of(OK)),
                new Case("down", List.of(HostState.DOWN), List.of("host DOWN")),
                new Case("maintenance", List.of(HostState.MAINTENANCE), List.of("host MAINTENANCE")),
                new Case(
                        "mixed",
                        List.of(HostState.DOWN, HostState.UP, HostState.MAINTENANCE, HostState.UP),
                        List.of("host DOWN", OK, "host MAINTENANCE", OK)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onlyUpHostsTakeVms(Case c) {
        HostInventory.Builder[] hosts = new HostInventory.Builder[c.states().size()];
        for (int i = 0; i < hosts.length; i++) {
            hosts[i] = host("h" + i).state(c.states().get(i));
        }

        assertThat(verdicts(new HostStateFilter(), snapshot(hosts), request().build()))
                .containsExactlyElementsOf(c.expected());
    }
}
