package io.vireo.sim.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatenciesTest {
    @ParameterizedTest(name = "p{1} of 1..{0} is {2}")
    @CsvSource({
        "100, 50, 50",
        "100, 99, 99",
        "100, 100, 100",
        "100, 99.9, 100",
        "1000, 99.9, 999",
        "1, 50, 1",
        "1, 99, 1",
        "3, 50, 2",
        "3, 99, 3",
        "10, 1, 1",
        "7, 0.001, 1"
    })
    void nearestRankIsTheSmallestValueCoveringThePercent(int size, double percent, long expected) {
        long[] sorted = LongStream.rangeClosed(1, size).toArray();

        assertThat(Latencies.nearestRank(sorted, percent)).isEqualTo(expected);
    }

    @Test
    void aLatencyRunsFromTheDueTimeNotTheSendTime() {
        Latencies latencies = new Latencies();
        long due = 1_000_000_000L;

        latencies.record(due, due + 250_000_000L);
        latencies.record(due, due - 5);

        assertThat(latencies.count()).isEqualTo(2);
        assertThat(latencies.percentileMillis(100)).isEqualTo(250.0);
        assertThat(latencies.percentileMillis(50))
                .as("an answer before its due time counts 0")
                .isEqualTo(0.0);
    }

    @Test
    void percentilesOfNothingAreNotANumber() {
        Latencies latencies = new Latencies();

        assertThat(latencies.percentileMillis(99)).isNaN();
        assertThat(StepOutcome.percentile(latencies, 99)).isNull();
    }

    @Test
    void keepsEverySampleBeyondItsFirstArray() {
        Latencies latencies = new Latencies();
        for (long i = 1; i <= 10_000; i++) {
            latencies.recordNanos(i * 1_000_000L);
        }
        Latencies copy = new Latencies();
        copy.addAll(latencies);

        assertThat(copy.count()).isEqualTo(10_000);
        assertThat(copy.percentileMillis(99)).isEqualTo(9_900.0);
        assertThat(copy.maxMillis()).isEqualTo(10_000.0);
    }

    @Test
    void refusesWhatIsNotAPercentOrALatency() {
        assertThatThrownBy(() -> Latencies.nearestRank(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Latencies.nearestRank(new long[] {1}, 101))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Latencies.nearestRank(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Latencies().recordNanos(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
