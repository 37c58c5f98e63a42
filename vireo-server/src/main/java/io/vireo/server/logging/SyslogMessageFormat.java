package io.vireo.server.logging;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import io.vireo.common.logging.Correlation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * Turns a log event into an RFC 5424 syslog message framed for TCP by octet counting (RFC 6587 section 3.4.1:
 * {@code LENGTH SP MESSAGE}, the length in bytes), so that a message may hold newlines (a stack trace) without being
 * split. The header is {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID}: facility {@code daemon}, the
 * severity from the level, the time in UTC to the millisecond, the logger's simple name as MSGID. A correlation id
 * goes into the structured data {@code [vireo@32473 correlationId="..."]}; the message is UTF-8, the stack trace of
 * a throwable after it. Immutable and thread-safe.
 */
public final class SyslogMessageFormat {
    /** Facility 3, system daemons (RFC 5424 table 1). */
    static final int FACILITY_DAEMON = 3;

    /** The SD-ID of Vireo's structured data; 32473 is the private enterprise number RFC 5612 sets aside for examples. */
    static final String SD_ID = "vireo@32473";

    private static final int MAX_HOSTNAME = 255;
    private static final int MAX_APP_NAME = 48;
    private static final int MAX_PROCID = 128;
    private static final int MAX_MSGID = 32;

    private final String hostname;
    private final String appName;
    private final String procId;

    /**
     * @param hostname this machine's name (header fields keep printable US-ASCII only, truncated to their limits)
     * @param appName {@code vireo-server} or {@code vireo-agent}
     * @param procId the process id
     */
    public SyslogMessageFormat(String hostname, String appName, long procId) {
        this.hostname = headerField(requireNonNull(hostname, "hostname is null"), MAX_HOSTNAME);
        this.appName = headerField(requireNonNull(appName, "appName is null"), MAX_APP_NAME);
        this.procId = headerField(Long.toString(procId), MAX_PROCID);
    }

    /** The framed message of a log event, on the thread that logged it (the correlation id is in its MDC copy). */
    public byte[] frame(ILoggingEvent event) {
        String text = event.getFormattedMessage();
        IThrowableProxy throwable = event.getThrowableProxy();
        if (throwable != null) {
            text = text + System.lineSeparator() + ThrowableProxyUtil.asString(throwable);
        }
        return frame(
                event.getInstant(),
                event.getLevel(),
                event.getLoggerName(),
                text,
                event.getMDCPropertyMap().get(Correlation.KEY));
    }

    /** The framed message of one line; {@code loggerName}'s simple name becomes the MSGID. */
    public byte[] frame(Instant time, Level level, String loggerName, String text, @Nullable String correlationId) {
        StringBuilder message = new StringBuilder(96 + text.length())
                .append('<')
                .append(FACILITY_DAEMON * 8 + severity(level))
                .append(">1 ")
                .append(DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.MILLIS)))
                .append(' ')
                .append(hostname)
                .append(' ')
                .append(appName)
                .append(' ')
                .append(procId)
                .append(' ')
                .append(headerField(simpleName(loggerName), MAX_MSGID))
                .append(' ');
        if (correlationId == null) {
            message.append('-');
        } else {
            message.append('[')
                    .append(SD_ID)
                    .append(' ')
                    .append(Correlation.KEY)
                    .append("=\"")
                    .append(paramValue(correlationId))
                    .append("\"]");
        }
        if (!text.isEmpty()) {
            message.append(' ').append(text);
        }
        byte[] bytes = message.toString().getBytes(StandardCharsets.UTF_8);
        byte[] length = (bytes.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[length.length + bytes.length];
        System.arraycopy(length, 0, framed, 0, length.length);
        System.arraycopy(bytes, 0, framed, length.length, bytes.length);
        return framed;
    }

    /** RFC 5424 table 2: ERROR is 3 (error), WARN 4 (warning), INFO 6 (informational), DEBUG and TRACE 7 (debug). */
    static int severity(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return 3;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return 4;
        }
        if (level.isGreaterOrEqual(Level.INFO)) {
            return 6;
        }
        return 7;
    }

    /** An SD-PARAM value: {@code "}, {@code \} and {@code ]} are escaped with a backslash (RFC 5424 section 6.3.3). */
    static String paramValue(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} characters, {@code -} if empty. */
    static String headerField(String value, int max) {
        StringBuilder field = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && field.length() < max; i++) {
            char c = value.charAt(i);
            field.append(c > ' ' && c < 127 ? c : '_');
        }
        return field.isEmpty() ? "-" : field.toString();
    }

    private static String simpleName(String loggerName) {
        return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }
}
