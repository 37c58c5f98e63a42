package io.vireo.scheduler.plugins.traits;

import static io.vireo.scheduler.testing.PluginHarness.OK;
import static io.vireo.scheduler.testing.PluginHarness.verdicts;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.LabelRequirement;
import io.vireo.scheduler.snapshot.HostInventory;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TraitsFilterTest {
    record Case(String name, LabelRequirement traits, List<String> expected) {}

    // hosts: a {cpu.avx2}, b {cpu.avx2, net.sriov}, c {}
    static Stream<Case> cases() {
        return Stream.of(
                new Case("none", LabelRequirement.NONE, List.of("skip", "skip", "skip")),
                new Case(
                        "required avx2",
                        LabelRequirement.required("cpu.avx2"),
                        List.of(OK, OK, "missing trait cpu.avx2")),
                new Case(
                        "required avx2 and sriov: first missing by name",
                        LabelRequirement.required("net.sriov", "cpu.avx2"),
                        List.of("missing trait net.sriov", OK, "missing trait cpu.avx2")),
                new Case(
                        "forbidden sriov",
                        LabelRequirement.forbidden("net.sriov"),
                        List.of(OK, "has forbidden trait net.sriov", OK)),
                new Case(
                        "required avx2, forbidden sriov",
                        new LabelRequirement(Set.of("cpu.avx2"), Set.of("net.sriov")),
                        List.of(OK, "has forbidden trait net.sriov", "missing trait cpu.avx2")),
                new Case(
                        "required trait no host has",
                        LabelRequirement.required("cpu.avx512"),
                        List.of(
                                "no host has trait cpu.avx512",
                                "no host has trait cpu.avx512",
                                "no host has trait cpu.avx512")),
                new Case(
                        "forbidden trait no host has",
                        LabelRequirement.forbidden("cpu.avx512"),
                        List.of("skip", "skip", "skip")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void requiredAndForbiddenTraits(Case c) {
        var snapshot = snapshot(
                host("a").trait("cpu.avx2"), host("b").trait("cpu.avx2").trait("net.sriov"), host("c"));

        assertThat(verdicts(
                        new TraitsFilter(),
                        snapshot,
                        request().traits(c.traits()).build()))
                .containsExactlyElementsOf(c.expected());
    }

    @Test
    void traitsBeyondOneWordOfBits() {
        HostInventory.Builder many = host("many");
        for (int i = 0; i < 100; i++) {
            many.trait(String.format("t%03d", i));
        }
        var snapshot = snapshot(many, host("few").trait("t000").trait("t099"));

        assertThat(snapshot.traitBits().wordsPerHost()).isEqualTo(2);
        assertThat(verdicts(
                        new TraitsFilter(),
                        snapshot,
                        request()
                                .traits(LabelRequirement.required("t099", "t070"))
                                .build()))
                .containsExactly(OK, "missing trait t070");
        assertThat(verdicts(
                        new TraitsFilter(),
                        snapshot,
                        request().traits(LabelRequirement.forbidden("t080")).build()))
                .containsExactly("has forbidden trait t080", OK);
    }
}
