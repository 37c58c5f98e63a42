package io.vireo.sim.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenLoopScheduleTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void requestsFallDueAtTheRateWhateverHappenedBefore() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(5 * SECOND, 4);

        assertThat(List.of(schedule.dueNanos(0), schedule.dueNanos(1), schedule.dueNanos(4), schedule.dueNanos(400)))
                .containsExactly(5 * SECOND, 5 * SECOND + SECOND / 4, 6 * SECOND, 105 * SECOND);
    }

    @ParameterizedTest(name = "{0}/s for {1} ns: {2} due")
    @CsvSource({
        "4, 1000000000, 4",
        "4, 1000000001, 5",
        "3, 1000000000, 3",
        "0.5, 10000000000, 5",
        "1000, 1, 1",
        "1000, 0, 0",
        "7, -5, 0"
    })
    void countsTheRequestsDueBeforeAnInstant(double perSecond, long afterStartNanos, long due) {
        OpenLoopSchedule schedule = new OpenLoopSchedule(100, perSecond);

        long count = schedule.countBefore(100 + afterStartNanos);

        assertThat(count).isEqualTo(due);
        if (count > 0) {
            assertThat(schedule.dueNanos(count - 1)).isLessThan(100 + afterStartNanos);
        }
        assertThat(schedule.dueNanos(count)).isGreaterThanOrEqualTo(100 + afterStartNanos);
    }

    @Test
    void aRateMustBePositive() {
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopSchedule(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A pacer whose requests all fell due in the past sends them at once, each keeping its own due time. */
    @Test
    void aLatePacerSendsAtOnceAndKeepsTheDueTimes() {
        long start = System.nanoTime() - 10 * SECOND;
        OpenLoopSchedule schedule = new OpenLoopSchedule(start, 2);
        List<Long> sent = new ArrayList<>();
        Latencies latencies = new Latencies();
        Executor direct = Runnable::run;

        long due = new RequestPacer(direct, 1)
                .pace(schedule, start + 3 * SECOND, () -> false, new Recording(sent, latencies));

        assertThat(due).isEqualTo(6);
        assertThat(sent)
                .containsExactly(
                        start,
                        start + SECOND / 2,
                        start + SECOND,
                        start + 3 * SECOND / 2,
                        start + 2 * SECOND,
                        start + 5 * SECOND / 2);
        assertThat(latencies.percentileMillis(1))
                .as("the last request was due 7.5 s ago, and it counts from then")
                .isGreaterThanOrEqualTo(7_500);
    }

    @Test
    void aRequestThatFindsTooManyInFlightIsNotSentButCounted() {
        long start = System.nanoTime() - 10 * SECOND;
        List<Long> sent = new ArrayList<>();
        Recording operation = new Recording(sent, new Latencies());

        new RequestPacer(Runnable::run, 0)
                .pace(new OpenLoopSchedule(start, 1), start + 3 * SECOND, () -> false, operation);

        assertThat(sent).isEmpty();
        assertThat(operation.saturated).containsExactly(start, start + SECOND, start + 2 * SECOND);
    }

    @Test
    void aPacerStopsWhenAsked() {
        long start = System.nanoTime() - 10 * SECOND;
        List<Long> sent = new ArrayList<>();

        long due = new RequestPacer(Runnable::run, 1)
                .pace(
                        new OpenLoopSchedule(start, 1),
                        Long.MAX_VALUE,
                        () -> sent.size() >= 2,
                        new Recording(sent, new Latencies()));

        assertThat(due).isEqualTo(2);
    }

    @Test
    void dueTimesBecomeWallClockInstants() {
        NanoWallClock wall = new NanoWallClock(java.time.Instant.parse("2026-12-07T10:00:00Z"), 1_000);

        assertThat(wall.wall(1_000 + 1_500_000_000L)).isEqualTo(java.time.Instant.parse("2026-12-07T10:00:01.500Z"));
        assertThat(wall.wall(0)).isEqualTo(java.time.Instant.parse("2026-12-07T09:59:59.999999Z"));
    }

    private static final class Recording implements RequestPacer.Operation {
        private final List<Long> sent;
        private final Latencies latencies;
        private final List<Long> saturated = new ArrayList<>();

        Recording(List<Long> sent, Latencies latencies) {
            this.sent = sent;
            this.latencies = latencies;
        }

        @Override
        public void send(long dueNanos) {
            sent.add(dueNanos);
            latencies.record(dueNanos, System.nanoTime());
        }

        @Override
        public void saturated(long dueNanos) {
            saturated.add(dueNanos);
        }
    }
}
