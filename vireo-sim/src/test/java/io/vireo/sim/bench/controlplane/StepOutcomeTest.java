package io.vireo.sim.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StepOutcomeTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @ParameterizedTest(name = "offered {0}/s, {1} due, {2} failed, RUNNING {3}/s: {4}")
    @CsvSource(
            nullValues = "null",
            value = {
                "100, 1000, 0, 100.0, true",
                "100, 1000, 10, 90.0, true",
                "100, 1000, 11, 99.0, false",
                "100, 1000, 0, 89.9, false",
                "100, 1000, 0, null, false",
                "100, 0, 0, 100.0, false",
                "25, 250, 2, 24.0, true"
            })
    void aStepIsSustainedWhenFewCreatesFailAndVmsKeepReachingRunning(
            double offered, long due, long failed, @Nullable Double running, boolean sustained) {
        assertThat(StepOutcome.sustained(offered, due, failed, running)).isEqualTo(sustained);
    }

    @Test
    void countsTheInstantsInAHalfOpenSpanPerSecond() {
        List<Instant> times = List.of(
                T0.minusMillis(1), T0, T0.plusMillis(500), T0.plusMillis(1999), T0.plusSeconds(2), T0.plusSeconds(3));

        assertThat(StepOutcome.perSecond(times, T0, T0.plusSeconds(2))).isEqualTo(1.5);
        assertThat(StepOutcome.perSecond(times, T0, T0)).isNull();
    }

    @Test
    void aVmThatHasNotReachedRunningCountsUntilItIsJudged() {
        UUID fast = new UUID(0, 1);
        UUID slow = new UUID(0, 2);
        Map<UUID, Instant> running = Map.of(fast, T0.plusMillis(300));
        List<StepRecorder.Created> created =
                List.of(new StepRecorder.Created(fast, T0), new StepRecorder.Created(slow, T0.plusMillis(100)));

        StepOutcome.ToRunning toRunning =
                StepOutcome.toRunning(created, id -> Optional.ofNullable(running.get(id)), T0.plusSeconds(5));

        assertThat(toRunning.notRunning()).isEqualTo(1);
        assertThat(toRunning.latencies().percentileMillis(50)).isEqualTo(300.0);
        assertThat(toRunning.latencies().percentileMillis(100)).isEqualTo(4_900.0);
    }

    @Test
    void figuresHaveOneDecimalAndNoneForNotANumber() {
        assertThat(StepOutcome.figure(12.345)).isEqualTo(12.3);
        assertThat(StepOutcome.figure(Double.NaN)).isNull();
        assertThat(StepOutcome.figure(Double.POSITIVE_INFINITY)).isNull();
    }
}
