package io.vireo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("500ms", Duration.ofMillis(500), "500ms"),
                Arguments.of("90s", Duration.ofSeconds(90), "90s"),
                Arguments.of("120s", Duration.ofMinutes(2), "2m"),
                Arguments.of("5m", Duration.ofMinutes(5), "5m"),
                Arguments.of(" 2H ", Duration.ofHours(2), "2h"),
                Arguments.of("PT1M30S", Duration.ofSeconds(90), "90s"),
                Arguments.of("24h", Duration.ofDays(1), "24h"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void readsAndFormats(String text, Duration expected, String formatted) {
        Duration duration = new DurationConverter().convert(text);

        assertThat(duration).isEqualTo(expected);
        assertThat(DurationConverter.format(duration)).isEqualTo(formatted);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "5", "soon", "-5s", "0s", "PT0S", "25h", "PT-1S", "1d", "5 m", "99999999999s"})
    void rejects(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text)).isInstanceOf(TypeConversionException.class);
    }
}
