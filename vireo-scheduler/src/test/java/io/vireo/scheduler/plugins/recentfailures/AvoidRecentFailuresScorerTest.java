package io.vireo.scheduler.plugins.recentfailures;

import static io.vireo.scheduler.testing.PluginHarness.scores;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvoidRecentFailuresScorerTest {
    record Case(String name, List<Integer> failures, List<Double> expected) {}

    static Stream<Case> cases() {
        return Stream.of(
                new Case("linear down to the worst", List.of(0, 1, 2), List.of(100.0, 50.0, 0.0)),
                new Case("all failed alike", List.of(3, 3), List.of(0.0, 0.0)));
    }

    @Test
    void skipsAClusterWithoutFailures() {
        assertThat(scores(
                        new AvoidRecentFailuresScorer(),
                        snapshot(host("a"), host("b")),
                        request().build()))
                .isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fewerFailuresScoreHigher(Case c) {
        var hosts = new io.vireo.scheduler.snapshot.HostInventory.Builder
                [c.failures().size()];
        for (int i = 0; i < hosts.length; i++) {
            hosts[i] = host("h" + i).recentFailures(c.failures().get(i));
        }

        assertThat(scores(
                        new AvoidRecentFailuresScorer(),
                        snapshot(hosts),
                        request().build()))
                .containsExactly(
                        c.expected().stream().mapToDouble(Double::doubleValue).toArray());
    }
}
