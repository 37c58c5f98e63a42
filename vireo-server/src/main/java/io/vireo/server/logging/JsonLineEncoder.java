package io.vireo.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vireo.common.logging.Correlation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * One JSON object per log line, for log collectors ({@code --log-format json}):
 *
 * <pre>{"time":"2026-12-08T10:15:30.123Z","level":"INFO","logger":"io.vireo...","thread":"main",
 * "message":"...","correlationId":"...","error":"java.lang...\n\tat ..."}</pre>
 *
 * <p>{@code time} is ISO-8601 in UTC to the millisecond; {@code correlationId} is there when the line was written for
 * a request ({@link Correlation}), {@code error} (the stack trace) when a throwable was logged. Newlines and quotes
 * inside values are escaped, so a line is always one line. Thread-safe: logback calls it under the appender's lock,
 * and it keeps no state between events.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NONE = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField(
                    "time",
                    DateTimeFormatter.ISO_INSTANT.format(event.getInstant().truncatedTo(ChronoUnit.MILLIS)));
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("message", event.getFormattedMessage());
            String correlationId = event.getMDCPropertyMap().get(Correlation.KEY);
            if (correlationId != null) {
                json.writeStringField(Correlation.KEY, correlationId);
            }
            IThrowableProxy throwable = event.getThrowableProxy();
            if (throwable != null) {
                json.writeStringField("error", ThrowableProxyUtil.asString(throwable));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a log line as JSON", e); // not on a byte array
        }
        line.write('\n');
        return line.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }
}
