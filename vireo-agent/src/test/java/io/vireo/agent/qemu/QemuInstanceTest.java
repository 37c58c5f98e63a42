package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.model.ObservedPower;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a QEMU that stops answering QMP is observed: busy while its process runs (shown as last seen, so the reconciler
 * restarts nothing), FAILED once the process is gone. The "QEMU" is a process carrying the VM's id on its command line,
 * as the driver's liveness check requires, and a hand-written QMP server.
 */
class QemuInstanceTest {
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(200);

    @TempDir
    Path directory;

    private final UUID vmId = UUID.fromString("4f1c5a9e-2b7d-4c3e-9a8f-0d6e5b4a3c21");
    private final AtomicBoolean answering = new AtomicBoolean(true);
    private @Nullable FakeQmpServer server;
    private @Nullable Process process;

    @AfterEach
    void tearDown() throws IOException {
        if (process != null) {
            process.destroyForcibly();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRunningQemuThatStopsAnsweringIsShownAsLastSeenWithTheReason() throws IOException {
        try (QemuInstance instance = start()) {
            assertThat(instance.observe().power()).isEqualTo(ObservedPower.RUNNING);

            answering.set(false);
            DriverVm busy = instance.observe();

            assertThat(busy.power()).isEqualTo(ObservedPower.RUNNING);
            assertThat(busy.message()).contains("is busy").contains("query-status");
        }
    }

    @Test
    void aQemuWhoseProcessIsGoneIsFailedEvenIfTheTimeoutCameFirst() throws Exception {
        try (QemuInstance instance = start()) {
            assertThat(instance.observe().power()).isEqualTo(ObservedPower.RUNNING);
            answering.set(false);
            requireNonNull(process).destroyForcibly().waitFor();

            DriverVm gone = instance.observe();

            assertThat(gone.power()).isEqualTo(ObservedPower.FAILED);
            assertThat(gone.message()).contains("does not answer QMP");
        }
    }

    private QemuInstance start() throws IOException {
        Process started = new ProcessBuilder("sh", "-c", "read line", vmId.toString()).start();
        process = started;
        Path socket = directory.resolve("qmp.sock");
        FakeQmpServer qmpServer = new FakeQmpServer(
                socket, true, (command, request) -> answering.get() ? "{\"return\": {\"status\": \"running\"}}" : null);
        server = qmpServer;
        QmpClient qmp = QmpClient.connect(socket, "test", SHORT_TIMEOUT);
        return new QemuInstance(vmId, started.pid(), qmp, Instant.EPOCH, SHORT_TIMEOUT);
    }
}
