package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.ImageFormat;
import io.vireo.model.ObservedPower;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The QEMU driver's small pure parts: status mapping, settings, image store, host capacity, process checks. */
class QemuPiecesTest {
    @TempDir
    Path directory;

    @Test
    void aCompletedMigrationWhoseFiguresQemuHasNotRecordedYetIsAskedAgain() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

        assertThat(QemuMigrationSteps.figuresPending(
                        json.readTree("{\"status\":\"completed\",\"downtime\":0,\"total-time\":0}")))
                .isTrue();
        assertThat(QemuMigrationSteps.figuresPending(json.readTree("{\"status\":\"completed\"}")))
                .isTrue();
        assertThat(QemuMigrationSteps.figuresPending(
                        json.readTree("{\"status\":\"completed\",\"downtime\":182,\"total-time\":891}")))
                .isFalse();
        assertThat(QemuMigrationSteps.figuresPending(json.readTree("{\"status\":\"active\",\"total-time\":0}")))
                .isFalse();
        assertThat(QemuMigrationSteps.figuresPending(json.readTree("{\"status\":\"failed\"}")))
                .isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "running, RUNNING",
        "paused, PAUSED",
        "io-error, PAUSED",
        "suspended, PAUSED",
        "postmigrate, PAUSED",
        "prelaunch, CREATING",
        "inmigrate, CREATING",
        "shutdown, STOPPED",
        "guest-panicked, FAILED",
        "internal-error, FAILED",
        "something-new, FAILED",
    })
    void qemuRunStatesMapToPowerStates(String status, ObservedPower power) {
        assertThat(QemuInstance.power(status)).isEqualTo(power);
    }

    @Test
    void settingsRejectAStateDirectoryTooLongForSocketPaths() {
        Path deep = Path.of("/" + "d".repeat(60));

        assertThatThrownBy(() -> QemuSettings.defaults(deep))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UNIX sockets allow 107");
    }

    @Test
    void settingsRejectBadValues() {
        QemuSettings defaults = QemuSettings.defaults(directory);

        assertThatThrownBy(() -> defaults.withKernelCommandLine("quiet\ninit=/bin/sh"))
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> new QemuSettings(
                        directory,
                        defaults.qemuBinary(),
                        defaults.qemuImgBinary(),
                        QemuAccel.TCG,
                        defaults.kvmDevice(),
                        null,
                        "pc,accel=kvm",
                        "",
                        1,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ZERO))
                .hasMessageContaining("machineType");
    }

    @Test
    void theLocalImageStoreFindsImagesByUuidAndFormat() throws IOException {
        LocalImageStore store = new LocalImageStore(directory);
        UUID disk = UUID.randomUUID();
        UUID kernel = UUID.randomUUID();
        Files.createFile(store.location(disk, ImageFormat.QCOW2));
        Path kernelDirectory = Files.createDirectory(store.location(kernel, ImageFormat.KERNEL_INITRD));
        Files.createFile(kernelDirectory.resolve(ImageStore.KERNEL_FILE));

        assertThat(store.resolve(disk, ImageFormat.QCOW2)).isEqualTo(directory.resolve(disk + ".qcow2"));
        assertThatThrownBy(() -> store.resolve(disk, ImageFormat.RAW)).isInstanceOf(HypervisorException.class);
        assertThatThrownBy(() -> store.resolve(kernel, ImageFormat.KERNEL_INITRD))
                .as("the initrd is missing")
                .hasMessageContaining("not cached");
        Files.createFile(kernelDirectory.resolve(ImageStore.INITRD_FILE));
        assertThat(store.resolve(kernel, ImageFormat.KERNEL_INITRD)).isEqualTo(kernelDirectory);
    }

    @Test
    void memoryComesFromMemTotal() throws IOException {
        Path meminfo = directory.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       24567892 kB\nMemFree:        1000 kB\n", UTF_8);

        assertThat(HostCapacity.memTotalMib(meminfo)).isEqualTo(23992);
        assertThat(HostCapacity.probe(meminfo, directory).memoryMib()).isEqualTo(23992);
    }

    @Test
    void aProcessIsAVmsQemuOnlyIfItsCommandLineCarriesTheVmsUuid() {
        long self = ProcessHandle.current().pid();

        assertThat(QemuProcesses.isRunning(self, UUID.randomUUID())).isFalse();
        assertThat(QemuProcesses.isRunning(Long.MAX_VALUE, UUID.randomUUID())).isFalse();
    }

    @Test
    void pidFilesAreReadLeniently() throws IOException {
        Path pidFile = directory.resolve("qemu.pid");

        assertThat(QemuProcesses.readPid(pidFile)).isEmpty();
        Files.writeString(pidFile, "4242\n", UTF_8);
        assertThat(QemuProcesses.readPid(pidFile)).hasValue(4242);
        Files.writeString(pidFile, "garbage", UTF_8);
        assertThat(QemuProcesses.readPid(pidFile)).isEmpty();
    }
}
