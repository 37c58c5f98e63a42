package io.vireo.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant TIME = Instant.parse("2026-12-08T10:15:30.123456Z");

    static LoggingEvent event(Level level, String message, @Nullable Throwable error, Map<String, String> mdc) {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent(
                "io.vireo.Test", context.getLogger("io.vireo.controller.HostDrains"), level, message, error, null);
        event.setInstant(TIME);
        event.setThreadName("worker-1");
        event.setMDCPropertyMap(mdc);
        return event;
    }

    private static String encode(LoggingEvent event) {
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.start();
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void oneObjectPerLineWithTheFieldsCollectorsNeed() throws Exception {
        String line = encode(event(Level.INFO, "drain started", null, Map.of("correlationId", "corr-1")));

        assertThat(line)
                .endsWith("\n")
                .doesNotContain("\r")
                .satisfies(l -> assertThat(l.strip()).doesNotContain("\n"));
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("time").asText()).isEqualTo("2026-12-08T10:15:30.123Z");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("io.vireo.controller.HostDrains");
        assertThat(json.get("thread").asText()).isEqualTo("worker-1");
        assertThat(json.get("message").asText()).isEqualTo("drain started");
        assertThat(json.get("correlationId").asText()).isEqualTo("corr-1");
        assertThat(json.has("error")).isFalse();
    }

    @Test
    void noCorrelationIdOutsideARequest() throws Exception {
        JsonNode json = JSON.readTree(encode(event(Level.WARN, "idle", null, Map.of())));

        assertThat(json.has("correlationId")).isFalse();
        assertThat(json.get("level").asText()).isEqualTo("WARN");
    }

    @Test
    void quotesNewlinesAndStackTracesStayOnOneLine() throws Exception {
        String message = "say \"hi\"\nthen \\ leave\t</script>";
        String line = encode(event(Level.ERROR, message, new IllegalStateException("bad \"state\""), Map.of()));

        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("message").asText()).isEqualTo(message);
        assertThat(json.get("error").asText())
                .startsWith("java.lang.IllegalStateException: bad \"state\"")
                .contains("\tat io.vireo.server.logging.JsonLineEncoderTest");
    }
}
