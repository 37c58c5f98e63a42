package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link QmpClient} against a real QEMU: a machine-less one, which needs no guest and starts in milliseconds. */
class QmpClientQemuTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    private @Nullable Process qemu;

    @BeforeEach
    void startQemu() throws IOException {
        assumeThat(TestGuest.onPath("qemu-system-x86_64"))
                .as("qemu-system-x86_64 is not installed; skipping")
                .isTrue();
        qemu = new ProcessBuilder(
                        "qemu-system-x86_64",
                        "-machine",
                        "none",
                        "-accel",
                        "tcg",
                        "-nodefaults",
                        "-no-user-config",
                        "-display",
                        "none",
                        "-qmp",
                        "unix:" + socket() + ",server=on,wait=off")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("qemu.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        await().atMost(TIMEOUT).until(() -> Files.exists(socket()));
    }

    @AfterEach
    void stopQemu() {
        if (qemu != null) {
            qemu.destroyForcibly();
        }
    }

    @Test
    void commandsErrorsAndEventsWithRealQemu() {
        try (QmpClient client = QmpClient.connect(socket(), "real", TIMEOUT)) {
            List<QmpEvent> events = new CopyOnWriteArrayList<>();
            client.addListener(events::add);

            assertThat(client.greeting()
                            .path("version")
                            .path("qemu")
                            .path("major")
                            .asInt())
                    .isPositive();
            assertThat(client.execute("query-status", TIMEOUT).path("status").asText())
                    .isEqualTo("running");
            assertThatThrownBy(() -> client.execute("no-such-command", TIMEOUT))
                    .isInstanceOfSatisfying(
                            QmpException.class, e -> assertThat(e.errorClass()).contains("CommandNotFound"));
            assertThatThrownBy(() -> client.execute("qom-get", Map.of("path", "/nowhere", "property", "x"), TIMEOUT))
                    .isInstanceOfSatisfying(
                            QmpException.class, e -> assertThat(e.kind()).isEqualTo(QmpException.Kind.COMMAND_FAILED));

            client.execute("stop", TIMEOUT);
            assertThat(client.execute("query-status", TIMEOUT).path("status").asText())
                    .isEqualTo("paused");
            client.execute("cont", TIMEOUT);
            await().atMost(TIMEOUT).until(() -> events.size() >= 2);
            assertThat(events).extracting(QmpEvent::name).containsExactly("STOP", "RESUME");
            quit(client);

            assertThat(client.closed()).succeedsWithin(TIMEOUT);
        }
    }

    /** QEMU may exit before its answer to {@code quit} is written: then the connection just closes. */
    private static void quit(QmpClient client) {
        try {
            client.execute("quit", TIMEOUT);
        } catch (QmpException e) {
            assertThat(e.kind()).isEqualTo(QmpException.Kind.CONNECTION_CLOSED);
        }
    }

    private Path socket() {
        return directory.resolve("qmp.sock");
    }
}
