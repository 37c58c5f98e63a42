package io.vireo.agent.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExponentialBackoffTest {
    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(10);

    static Stream<Arguments> bounds() {
        return Stream.of(
                Arguments.of(0, Duration.ofMillis(100), Duration.ofMillis(100)),
                Arguments.of(1, Duration.ofMillis(100), Duration.ofMillis(200)),
                Arguments.of(3, Duration.ofMillis(400), Duration.ofMillis(800)),
                Arguments.of(6, Duration.ofMillis(3200), Duration.ofMillis(6400)),
                Arguments.of(7, Duration.ofSeconds(5), Duration.ofSeconds(10)),
                Arguments.of(1000, Duration.ofSeconds(5), Duration.ofSeconds(10)));
    }

    @ParameterizedTest(name = "attempt {0}")
    @MethodSource("bounds")
    void delayGrowsWithEqualJitterUpToTheCap(int attempt, Duration low, Duration high) {
        for (long seed = 0; seed < 200; seed++) {
            ExponentialBackoff backoff = new ExponentialBackoff(MIN, MAX, new SplittableRandom(seed));

            assertThat(backoff.delay(attempt)).as("seed %d", seed).isBetween(low, high);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 42, 7_000})
    void theSameSeedGivesTheSameDelays(long seed) {
        ExponentialBackoff first = new ExponentialBackoff(MIN, MAX, new SplittableRandom(seed));
        ExponentialBackoff second = new ExponentialBackoff(MIN, MAX, new SplittableRandom(seed));

        for (int attempt = 0; attempt < 10; attempt++) {
            assertThat(first.delay(attempt)).isEqualTo(second.delay(attempt));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1})
    void rejectsNegativeAttempts(int attempt) {
        ExponentialBackoff backoff = new ExponentialBackoff(MIN, MAX, new SplittableRandom(1));

        assertThatThrownBy(() -> backoff.delay(attempt)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -5})
    void rejectsANonPositiveMinimum(long minimumMillis) {
        assertThatThrownBy(() -> new ExponentialBackoff(Duration.ofMillis(minimumMillis), MAX, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
