package io.vireo.scheduler.plugins.aggregate;

import static io.vireo.scheduler.testing.PluginHarness.OK;
import static io.vireo.scheduler.testing.PluginHarness.verdicts;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.LabelRequirement;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AggregateFilterTest {
    record Case(String name, LabelRequirement aggregates, List<String> expected) {}

    // hosts: a {ssd}, b {ssd, tenant-a}, c {}
    static Stream<Case> cases() {
        return Stream.of(
                new Case("none", LabelRequirement.NONE, List.of("skip", "skip", "skip")),
                new Case("in ssd", LabelRequirement.required("ssd"), List.of(OK, OK, "missing aggregate ssd")),
                new Case(
                        "not in tenant-a",
                        LabelRequirement.forbidden("tenant-a"),
                        List.of(OK, "has forbidden aggregate tenant-a", OK)),
                new Case(
                        "in tenant-a but not ssd",
                        new LabelRequirement(Set.of("tenant-a"), Set.of("ssd")),
                        List.of(
                                "missing aggregate tenant-a",
                                "has forbidden aggregate ssd",
                                "missing aggregate tenant-a")),
                new Case(
                        "aggregate no host is in",
                        LabelRequirement.required("tenant-z"),
                        List.of(
                                "no host has aggregate tenant-z",
                                "no host has aggregate tenant-z",
                                "no host has aggregate tenant-z")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void requiredAndForbiddenAggregates(Case c) {
        var snapshot =
                snapshot(host("a").aggregate("ssd"), host("b").aggregate("ssd").aggregate("tenant-a"), host("c"));

        assertThat(verdicts(
                        new AggregateFilter(),
                        snapshot,
                        request().aggregates(c.aggregates()).build()))
                .containsExactlyElementsOf(c.expected());
    }
}
