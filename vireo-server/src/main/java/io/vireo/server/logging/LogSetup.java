package io.vireo.server.logging;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log-format} and {@code --syslog-url} to the process's logback configuration (logback.xml: a
 * console appender named {@value #CONSOLE} on standard error), once, at start-up, before the server or agent starts.
 * Not thread-safe: called from the command's thread while nothing else logs much yet.
 */
public final class LogSetup {
    static final String CONSOLE = "CONSOLE";
    static final String SYSLOG = "SYSLOG";

    /** At exit, lines keep being forwarded until none was logged for this long... */
    static final Duration EXIT_QUIET = Duration.ofMillis(500);

    /** ...or for this long at most, with the syslog server down. */
    static final Duration EXIT_WAIT_MAX = Duration.ofSeconds(5);

    private LogSetup() {}

    /**
     * Switches standard error to {@code format} and, given a syslog URL, adds the forwarding appender. {@code appName}
     * is the syslog APP-NAME ({@code vireo-server}, {@code vireo-agent}). Does nothing where logback is not the SLF4J
     * backend.
     */
    public static void apply(LogFormat format, Optional<SyslogUrl> syslog, String appName) {
        requireNonNull(format, "format is null");
        requireNonNull(syslog, "syslog is null");
        requireNonNull(appName, "appName is null");
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (format == LogFormat.JSON) {
            useJson(context, root);
        }
        if (syslog.isPresent()) {
            SyslogTcpAppender forwarder = new SyslogTcpAppender(
                    syslog.get(),
                    new SyslogMessageFormat(
                            hostname(), appName, ProcessHandle.current().pid()),
                    SyslogSettings.DEFAULTS,
                    Clock.systemUTC());
            forwarder.setContext(context);
            forwarder.setName(SYSLOG);
            forwarder.start();
            root.addAppender(forwarder);
            // the other shutdown hooks (the server's, the agent's) log as they close things: wait for them to fall
            // quiet
            Runtime.getRuntime()
                    .addShutdownHook(Thread.ofPlatform()
                            .name("vireo-syslog-stop")
                            .unstarted(() -> forwarder.stopWhenQuiet(EXIT_QUIET, EXIT_WAIT_MAX)));
        }
    }

    private static void useJson(LoggerContext context, Logger root) {
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(CONSOLE);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Appender<ILoggingEvent> text = root.getAppender(CONSOLE);
        root.addAppender(console);
        if (text != null && text != console) {
            root.detachAppender(text);
            text.stop();
        }
    }

    /** This machine's name for the syslog header; {@code -} (RFC 5424's nil value) if it has none. */
    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "-";
        }
    }
}
