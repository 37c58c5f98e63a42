package io.vireo.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextTest {
    static Stream<Arguments> consoleLines() {
        return Stream.of(
                Arguments.of("VIREO-TICK 1\r\nVIREO-TICK 2\r\n", "VIREO-TICK 1\nVIREO-TICK 2\n"),
                Arguments.of("split line\r", "split line"),
                Arguments.of("a\tb\n", "a\tb\n"),
                Arguments.of("over\rwrite\n", "over?write\n"),
                Arguments.of("\u001b[2Jclear", "?[2Jclear"));
    }

    @ParameterizedTest
    @MethodSource("consoleLines")
    void keepsLinesAndDefusesControlCharacters(String raw, String shown) {
        assertThat(Text.printableLines(raw)).isEqualTo(shown);
    }
}
