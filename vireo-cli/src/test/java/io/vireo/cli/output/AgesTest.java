package io.vireo.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgesTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    static Stream<Arguments> ages() {
        return Stream.of(
                Arguments.of("2026-11-27T10:00:00Z", "0s"),
                Arguments.of("2026-11-27T09:59:01.500Z", "58s"),
                Arguments.of("2026-11-27T09:59:00Z", "1m"),
                Arguments.of("2026-11-27T09:58:59Z", "1m"),
                Arguments.of("2026-11-27T09:00:01Z", "59m"),
                Arguments.of("2026-11-27T09:00:00Z", "1h"),
                Arguments.of("2026-11-26T10:00:01Z", "23h"),
                Arguments.of("2026-11-26T10:00:00Z", "1d"),
                Arguments.of("2026-11-27T11:00:00+01:00", "0s"),
                Arguments.of("2026-11-27T10:00:05Z", "0s"),
                Arguments.of("yesterday", "-"),
                Arguments.of(null, "-"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("ages")
    void since(@Nullable String timestamp, String expected) {
        assertThat(Ages.since(timestamp, NOW)).isEqualTo(expected);
    }

    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(null, "-"),
                Arguments.of(-1L, "-"),
                Arguments.of(0L, "0 B"),
                Arguments.of(1023L, "1023 B"),
                Arguments.of(1024L, "1.0 KiB"),
                Arguments.of(1536L, "1.5 KiB"),
                Arguments.of(20L * 1024 * 1024 * 1024, "20.0 GiB"),
                Arguments.of(Long.MAX_VALUE, "8.0 EiB"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("sizes")
    void sizes(@Nullable Long bytes, String expected) {
        assertThat(Sizes.bytes(bytes)).isEqualTo(expected);
    }
}
