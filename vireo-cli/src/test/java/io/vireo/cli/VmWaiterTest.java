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
        return Stream.of(
                // state, reason, observed generation, target, target generation, outcome, detail
                Arguments.of("RUNNING", null, 3L, "RUNNING", 3L, Outcome.REACHED, "RUNNING"),
                Arguments.of("RUNNING", null, 4L, "RUNNING", 3L, Outcome.REACHED, "RUNNING"),
                Arguments.of("RUNNING", null, 2L, "RUNNING", 3L, Outcome.PENDING, "RUNNING"),
                Arguments.of("RUNNING", null, null, "RUNNING", 3L, Outcome.REACHED, "RUNNING"),
                Arguments.of("RUNNING", null, 0L, "RUNNING", null, Outcome.REACHED, "RUNNING"),
                Arguments.of("STARTING", null, 3L, "RUNNING", 3L, Outcome.PENDING, "STARTING"),
                Arguments.of("STOPPED", null, 3L, "RUNNING", 3L, Outcome.PENDING, "STOPPED"),
                Arguments.of(null, null, 3L, "RUNNING", 3L, Outcome.PENDING, "UNKNOWN"),
                Arguments.of(
                        "ERROR", "disk full", 3L, "RUNNING", 3L, Outcome.FAILED, "vm 'web-1' is in ERROR: disk full"),
                Arguments.of(
                        "ERROR", null, 3L, "STOPPED", 3L, Outcome.FAILED, "vm 'web-1' is in ERROR: no reason given"),
                Arguments.of("ERROR", "old failure", 2L, "RUNNING", 3L, Outcome.PENDING, "ERROR"),
                Arguments.of("DELETED", null, 3L, "RUNNING", 3L, Outcome.FAILED, "vm 'web-1' was deleted"),
                Arguments.of("DELETED", null, 2L, "DELETED", 3L, Outcome.REACHED, "DELETED"),
                Arguments.of("DELETING", null, 3L, "DELETED", 3L, Outcome.PENDING, "DELETING"),
                Arguments.of("STOPPED", null, 5L, "STOPPED", 5L, Outcome.REACHED, "STOPPED"));
    }

    @ParameterizedTest(name = "{0} (observed {2}) waiting for {3} (generation {4}) -> {5}")
    @MethodSource("cases")
    void check(
            @Nullable String state,
            @Nullable String reason,
            @Nullable Long observed,
            String target,
            @Nullable Long targetGeneration,
            Outcome outcome,
            String detail) {
        VmView vm = new VmView(
                "web-1", "id-1", null, state, reason, null, null, null, null, null, null, null, null, 3L, observed,
                null, null, null);

        VmWaiter.Check check = VmWaiter.check(vm, target, targetGeneration);

        assertThat(check.outcome()).isEqualTo(outcome);
        assertThat(check.detail()).isEqualTo(detail);
    }
}
