package io.vireo.server.launcher;

import io.vireo.server.logging.LogFormat;
import io.vireo.server.logging.LogSetup;
import io.vireo.server.logging.SyslogUrl;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code --log-format} and {@code --syslog-url}, shared by {@code vireo server}, {@code up} and {@code agent}. */
final class LogOptions {
    @Option(
            names = "--log-format",
            paramLabel = "text|json",
            defaultValue = "text",
            description =
                    "The format of log lines on standard error: text, for people, or json, one object per line"
                            + " with time, level, logger, thread, message, correlationId and error (default: ${DEFAULT-VALUE}).")
    String logFormat = "text";

    @Option(
            names = "--syslog-url",
            paramLabel = "tcp://HOST:PORT",
            description = "Also forward log lines to this syslog server (RFC 5424 over TCP, octet-counted frames), e.g."
                    + " rsyslog's imtcp; lines are queued while it is unreachable, and dropped, counted, when the"
                    + " queue is full.")
    @Nullable
    String syslogUrl;

    LogFormat format() {
        return LogFormat.fromSetting(logFormat);
    }

    Optional<SyslogUrl> syslog() {
        String url = syslogUrl;
        return url == null ? Optional.empty() : Optional.of(SyslogUrl.parse(url));
    }

    /** Checks both options (an invalid one fails here, before anything starts), then applies them. */
    void apply(String appName) {
        LogFormat format = format();
        Optional<SyslogUrl> syslog = syslog();
        LogSetup.apply(format, syslog, appName);
    }
}
