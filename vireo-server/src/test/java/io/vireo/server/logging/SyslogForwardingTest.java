package io.vireo.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.vireo.common.Executables;
import io.vireo.common.logging.Correlation;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Log forwarding to a real rsyslog (Debian's {@code rsyslog}): each test starts its own {@code rsyslogd} in the
 * foreground on a free loopback TCP port, with a private configuration and work directory that load only
 * {@code imtcp}, so the machine's own syslog is never touched, and an action that writes every message it receives to
 * a file the test reads.
 */
class SyslogForwardingTest {
    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    private static final Duration ARRIVAL = Duration.ofSeconds(20);
    private static final Pattern DROPPED = Pattern.compile("(\\d+) log lines? (was|were) dropped");

    @TempDir
    Path dir;

    private final Logger logger = logger();
    private @Nullable Process rsyslog;
    private @Nullable SyslogTcpAppender appender;

    private static Logger logger() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger logger = context.getLogger("io.vireo.test.SyslogForwarding");
        logger.setAdditive(false); // the test's lines go to syslog only, not to the console
        return logger;
    }

    @BeforeEach
    void rsyslogIsInstalled() {
        assumeThat(Files.isExecutable(RSYSLOGD) || Executables.onPath("rsyslogd"))
                .as("rsyslogd (Debian package rsyslog) is installed")
                .isTrue();
    }

    @AfterEach
    void stop() throws InterruptedException {
        SyslogTcpAppender forwarder = appender;
        if (forwarder != null) {
            logger.detachAppender(forwarder);
            forwarder.stop();
        }
        stopRsyslog();
    }

    private void stopRsyslog() throws InterruptedException {
        Process process = rsyslog;
        rsyslog = null;
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void linesArriveWithTheCorrelationIdInTheStructuredData() throws IOException {
        int port = freePort();
        startRsyslog(port);
        forwardTo(port, SyslogSettings.DEFAULTS);

        logger.info("plain line");
        Correlation.run("corr-42", () -> logger.warn("a line for a request"));
        Correlation.run("odd \"id\" ]\\", () -> logger.info("escaped id"));
        logger.error("two\nlines with \"quotes\"", new IllegalStateException("boom"));

        await().atMost(ARRIVAL).until(() -> received().size() >= 4);
        assertThat(received())
                .anySatisfy(
                        line -> assertThat(line).startsWith("vireo-server - ").contains("plain line"))
                .anySatisfy(line -> assertThat(line)
                        .startsWith("vireo-server [vireo@32473 correlationId=\"corr-42\"] ")
                        .contains("a line for a request"))
                .anySatisfy(line -> assertThat(line)
                        .startsWith("vireo-server [vireo@32473 correlationId=\"odd \\\"id\\\" \\]\\\\\"] ")
                        .contains("escaped id"))
                // rsyslog escapes control characters on receipt: the newline arrives as #012, in the same message
                .anySatisfy(line -> assertThat(line)
                        .contains("two#012lines with \"quotes\"")
                        .contains("java.lang.IllegalStateException: boom"));
    }

    @Test
    void linesWaitForTheServerAndOverflowIsCountedOnceItIsBack() throws IOException {
        int port = freePort(); // nothing listens there yet
        forwardTo(
                port,
                SyslogSettings.DEFAULTS
                        .withQueueCapacity(3)
                        .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)));
        int logged = 10;
        for (int i = 0; i < logged; i++) {
            logger.info("queued {}", i);
        }
        assertThat(appender().dropped()).as("lines beyond the queue").isPositive();

        startRsyslog(port);

        await().atMost(ARRIVAL)
                .until(() -> received().stream()
                        .anyMatch(line -> DROPPED.matcher(line).find()));
        await().atMost(ARRIVAL).until(() -> received().stream().anyMatch(line -> line.contains("queued 0")));
        List<String> lines = received();
        long delivered = lines.stream().filter(line -> line.contains("queued ")).count();
        long dropped = lines.stream()
                .map(DROPPED::matcher)
                .filter(Matcher::find)
                .mapToLong(m -> Long.parseLong(m.group(1)))
                .sum();
        assertThat(delivered + dropped)
                .as("every line is either delivered or counted as dropped")
                .isEqualTo(logged);
        assertThat(appender().dropped()).isZero();
    }

    @Test
    void linesLoggedWhileTheServerRestartsArriveAfterIt() throws IOException, InterruptedException {
        int port = freePort();
        startRsyslog(port);
        forwardTo(port, SyslogSettings.DEFAULTS.withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)));
        logger.info("before the restart");
        await().atMost(ARRIVAL).until(() -> received().stream().anyMatch(line -> line.contains("before the restart")));

        stopRsyslog();
        logger.info("while it was down");
        startRsyslog(port);

        await().atMost(ARRIVAL).until(() -> received().stream().anyMatch(line -> line.contains("while it was down")));
    }

    @Test
    void atExitLinesLoggedByOtherShutdownHooksStillGoOut() throws IOException, InterruptedException {
        int port = freePort();
        startRsyslog(port);
        forwardTo(port, SyslogSettings.DEFAULTS);
        logger.info("running");
        await().atMost(ARRIVAL).until(() -> received().stream().anyMatch(line -> line.contains("running")));
        await().pollDelay(Duration.ofMillis(400)).until(() -> true); // quiet for longer than the hook waits

        SyslogTcpAppender forwarder = appender();
        Thread hook =
                Thread.ofPlatform().start(() -> forwarder.stopWhenQuiet(Duration.ofMillis(300), Duration.ofSeconds(5)));
        await().pollDelay(Duration.ofMillis(100)).until(() -> true); // another hook, closing the server, logs
        logger.info("closing");
        hook.join();

        await().atMost(ARRIVAL).until(() -> received().stream().anyMatch(line -> line.contains("closing")));
    }

    private SyslogTcpAppender appender() {
        return Objects.requireNonNull(appender, "no appender yet");
    }

    private void forwardTo(int port, SyslogSettings settings) {
        SyslogTcpAppender forwarder = new SyslogTcpAppender(
                new SyslogUrl("127.0.0.1", port),
                new SyslogMessageFormat(
                        "test-host", "vireo-server", ProcessHandle.current().pid()),
                settings,
                Clock.systemUTC());
        forwarder.setContext(logger.getLoggerContext());
        forwarder.start();
        logger.addAppender(forwarder);
        appender = forwarder;
    }

    /** The lines rsyslog wrote so far, from Vireo only (rsyslogd's own messages left out). */
    private List<String> received() throws IOException {
        Path file = dir.resolve("received.log");
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("vireo-"))
                .toList();
    }

    private void startRsyslog(int port) throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, """
                global(workDirectory="%s")
                module(load="imtcp")
                template(name="vireo" type="string" string="%%APP-NAME%% %%STRUCTURED-DATA%% %%msg%%\\n")
                input(type="imtcp" address="127.0.0.1" port="%d")
                action(type="omfile" file="%s" template="vireo")
                """.formatted(work, port, dir.resolve("received.log")), StandardCharsets.UTF_8);
        String binary = Files.isExecutable(RSYSLOGD) ? RSYSLOGD.toString() : "rsyslogd";
        rsyslog = new ProcessBuilder(
                        binary,
                        "-n",
                        "-f",
                        conf.toString(),
                        "-i",
                        dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("rsyslogd.out").toFile()))
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
