package io.vireo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.cli.VmWaiter.Outcome;
import io.vireo.cli.client.VmView;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The judgement of one look at a VM during {@code --wait}, case by case. */
class VmWaiterTest {
    static Stream<Arguments> cases() {
        String placed = "host-a";
        return Stream.of(
                // state, reason, host, observed generation, target, target generation, outcome, detail
                Arguments.of("RUNNING", null, placed, 3L, "RUNNING", 3L, Outcome.REACHED, "RUNNING"),
                Arguments.of("RUNNING", null, placed, 4L, "RUNNING", 3L, Outcome.REACHED, "RUNNING"),
                Arguments.of(
                        "RUNNING",
                        null,
                        placed,
                        2L,
                        "RUNNING",
                        3L,
                        Outcome.PENDING,
                        "RUNNING, generation 3 not yet observed"),
                Arguments.of("RUNNING", null, placed, null, "RUNNING", 3L, Outcome.REACHED, "RUNNING"),
                Arguments.of("RUNNING", null, placed, 0L, "RUNNING", null, Outcome.REACHED, "RUNNING"),
                Arguments.of("STARTING", null, placed, 3L, "RUNNING", 3L, Outcome.PENDING, "STARTING"),
                Arguments.of("STOPPED", null, placed, 3L, "RUNNING", 3L, Outcome.PENDING, "STOPPED"),
                Arguments.of(null, null, placed, 3L, "RUNNING", 3L, Outcome.PENDING, "UNKNOWN"),
                Arguments.of(
                        "ERROR",
                        "disk full",
                        placed,
                        3L,
                        "RUNNING",
                        3L,
                        Outcome.FAILED,
                        "vm 'web-1' is in ERROR: disk full"),
                Arguments.of(
                        "ERROR",
                        null,
                        placed,
                        3L,
                        "STOPPED",
                        3L,
                        Outcome.FAILED,
                        "vm 'web-1' is in ERROR: no reason given"),
                Arguments.of(
                        "ERROR",
                        "old failure",
                        placed,
                        2L,
                        "RUNNING",
                        3L,
                        Outcome.PENDING,
                        "ERROR, generation 3 not yet observed"),
                Arguments.of(
                        "ERROR",
                        "no valid host",
                        null,
                        0L,
                        "RUNNING",
                        1L,
                        Outcome.FAILED,
                        "vm 'web-1' is in ERROR: no valid host"),
                Arguments.of("DELETED", null, placed, 3L, "RUNNING", 3L, Outcome.FAILED, "vm 'web-1' was deleted"),
                Arguments.of("DELETED", null, placed, 2L, "DELETED", 3L, Outcome.REACHED, "DELETED"),
                Arguments.of("DELETING", null, placed, 3L, "DELETED", 3L, Outcome.PENDING, "DELETING"),
                Arguments.of("STOPPED", null, placed, 5L, "STOPPED", 5L, Outcome.REACHED, "STOPPED"));
    }

    @ParameterizedTest(name = "{0} on {2} (observed {3}) waiting for {4} (generation {5}) -> {6}")
    @MethodSource("cases")
    void check(
            @Nullable String state,
            @Nullable String reason,
            @Nullable String host,
            @Nullable Long observed,
            String target,
            @Nullable Long targetGeneration,
            Outcome outcome,
            String detail) {
        VmView vm = new VmView(
                "web-1", "id-1", null, state, reason, null, host, null, null, null, null, null, null, 3L, observed,
                null, null, null, null, null, null, null, null, null, null);

        VmWaiter.Check check = VmWaiter.check(vm, target, targetGeneration);

        assertThat(check.outcome()).isEqualTo(outcome);
        assertThat(check.detail()).isEqualTo(detail);
    }
}
