package io.vireo.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyslogMessageFormatTest {
    private static final SyslogMessageFormat FORMAT = new SyslogMessageFormat("host-1", "vireo-server", 4242);
    private static final Instant TIME = Instant.parse("2026-12-08T10:15:30.123456Z");

    /** The message of a frame, after checking that the frame's length prefix counts its bytes. */
    private static String message(byte[] frame) {
        String text = new String(frame, StandardCharsets.UTF_8);
        int space = text.indexOf(' ');
        int length = Integer.parseInt(text.substring(0, space));
        assertThat(frame.length - (space + 1)).as("octet count").isEqualTo(length);
        return text.substring(space + 1);
    }

    @Test
    void headerStructuredDataAndMessage() {
        String message = message(FORMAT.frame(TIME, Level.INFO, "io.vireo.controller.HostDrains", "moved", "c-1"));

        assertThat(message)
                .isEqualTo("<30>1 2026-12-08T10:15:30.123Z host-1 vireo-server 4242 HostDrains"
                        + " [vireo@32473 correlationId=\"c-1\"] moved");
    }

    @Test
    void nilStructuredDataWithoutACorrelationId() {
        assertThat(message(FORMAT.frame(TIME, Level.WARN, "root", "x", null)))
                .isEqualTo("<28>1 2026-12-08T10:15:30.123Z host-1 vireo-server 4242 root - x");
    }

    @Test
    void theLengthCountsBytesNotCharacters() {
        assertThat(message(FORMAT.frame(TIME, Level.INFO, "a.B", "größer \"als\"\nzwei", null)))
                .endsWith(" - größer \"als\"\nzwei");
    }

    @Test
    void aStackTraceFollowsTheMessage() {
        String message = message(FORMAT.frame(JsonLineEncoderTest.event(
                Level.ERROR, "failed", new IllegalStateException("boom"), Map.of("correlationId", "c-2"))));

        assertThat(message)
                .startsWith("<27>1 2026-12-08T10:15:30.123Z host-1 vireo-server 4242 HostDrains"
                        + " [vireo@32473 correlationId=\"c-2\"] failed")
                .contains("java.lang.IllegalStateException: boom");
    }

    @ParameterizedTest
    @CsvSource({"ERROR,3", "WARN,4", "INFO,6", "DEBUG,7", "TRACE,7"})
    void severityFromTheLevel(String level, int severity) {
        assertThat(SyslogMessageFormat.severity(Level.toLevel(level))).isEqualTo(severity);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"plain|plain", "a\"b|a\\\"b", "a\\b|a\\\\b", "a]b|a\\]b", "[x]|[x\\]"})
    void structuredDataValuesAreEscaped(String value, String escaped) {
        assertThat(SyslogMessageFormat.paramValue(value)).isEqualTo(escaped);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"host one|5|host_", "''|5|-", "élan|9|_lan", "abcdef|3|abc"})
    void headerFieldsArePrintableAsciiWithinTheirLimit(String value, int max, String field) {
        assertThat(SyslogMessageFormat.headerField(value, max)).isEqualTo(field);
    }
}
