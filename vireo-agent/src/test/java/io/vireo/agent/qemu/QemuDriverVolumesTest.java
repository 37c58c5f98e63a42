package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.GuestSpec;
import io.vireo.model.ImageFormat;
import io.vireo.model.Resources;
import io.vireo.model.VolumeAttachment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data volumes on {@link QemuDriver} with a real QEMU under TCG booting the Vireo test guest: the guest sees each
 * volume as a virtio disk, QMP {@code query-block} shows it backed by its file, and deleting the VM removes the file
 * unless the volume is kept.
 */
class QemuDriverVolumesTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(10);

    private static Path guest = Path.of("unset");

    @TempDir
    Path stateDir;

    @TempDir
    Path imageDir;

    private final UUID imageId = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");
    private LocalImageStore images = new LocalImageStore(Path.of("unset"));
    private @Nullable QemuDriver driver;

    @BeforeAll
    static void requireQemu() {
        assumeThat(TestGuest.onPath("qemu-system-x86_64") && TestGuest.onPath("qemu-img"))
                .as("qemu-system-x86_64 is not installed (apt-get install qemu-system-x86 qemu-utils); skipping")
                .isTrue();
        guest = TestGuest.directory();
    }

    @BeforeEach
    void linkTestGuestIntoTheImageStore() throws IOException {
        images = TestGuest.imageStore(imageDir, imageId);
    }

    @AfterEach
    void tearDown() {
        QemuDriver last = driver;
        if (last != null) {
            last.close();
        }
        QemuDriver cleaner = newDriver();
        for (DriverVm vm : cleaner.list()) {
            cleaner.delete(vm.vmId());
        }
        cleaner.close();
    }

    @Test
    void aVmStartsWithItsVolumesAndDeletingItRemovesAllButTheKeptOne() {
        UUID scratch = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        DesiredVm vm = new DesiredVm(
                UUID.randomUUID(),
                "test-vm",
                1,
                1,
                DesiredState.RUNNING,
                0,
                new Resources(1, 128, 1),
                imageId,
                "test-guest",
                ImageFormat.KERNEL_INITRD,
                null,
                new GuestSpec(
                        List.of(),
                        null,
                        List.of(new VolumeAttachment(scratch, 2, true), new VolumeAttachment(kept, 1, false))));
        QemuDriver first = newDriver();
        driver = first;
        VmPaths paths = first.paths(vm.vmId());
        SerialLog serial = new SerialLog(paths.serialLog());

        first.create(vm);
        first.start(vm.vmId());

        await().atMost(BOOT_TIMEOUT).until(() -> serial.boots() >= 1);
        assertThat(serial.contains("disks=vda,vdb,vdc"))
                .as("the guest sees its disk and both volumes")
                .isTrue();
        first.close();
        Map<String, String> files = blockDevices(paths);
        assertThat(files)
                .containsEntry("disk0", paths.disk().toString())
                .containsEntry("vol0", paths.volume(scratch).toString())
                .containsEntry("vol1", paths.volume(kept).toString());

        QemuDriver second = newDriver();
        driver = second;
        assertThat(second.find(vm.vmId()).map(DriverVm::power)).as("adopted").isNotEmpty();
        second.delete(vm.vmId());

        assertThat(paths.directory()).doesNotExist();
        assertThat(paths.volume(scratch)).doesNotExist();
        assertThat(paths.volume(kept))
                .exists()
                .isEqualTo(stateDir.resolve("volumes").resolve(kept + ".qcow2"));
    }

    @Test
    void aKeptVolumeFileIsReusedByTheNextVmWithItsDataIntact() throws IOException {
        UUID volume = UUID.randomUUID();
        QemuDriver agent = newDriver();
        driver = agent;
        DesiredVm writer = vmWith("writer", new VolumeAttachment(volume, 1, false));
        agent.create(writer);
        Path file = agent.paths(writer.vmId()).volume(volume);
        // What a guest would have written, through the qcow2 layer: 1 MiB of 0xa5 at offset 4 MiB.
        assertThat(qemuIo(file, "write -P 0xa5 4M 1M")).contains("wrote 1048576/1048576 bytes");
        agent.delete(writer.vmId());
        assertThat(file).exists();

        DesiredVm reader = vmWith("reader", new VolumeAttachment(volume, 1, false));
        agent.create(reader);

        assertThat(agent.paths(reader.vmId()).volume(volume)).isEqualTo(file);
        assertThat(qemuIo(file, "read -P 0xa5 4M 1M"))
                .as("the data is still there")
                .contains("read 1048576/1048576 bytes")
                .doesNotContain("Pattern verification failed");
        assertThat(file.resolveSibling(file.getFileName() + ".new")).doesNotExist();
        agent.delete(reader.vmId());
        assertThat(qemuIo(file, "read -P 0xa5 4M 1M")).doesNotContain("Pattern verification failed");
    }

    private DesiredVm vmWith(String name, VolumeAttachment volume) {
        return new DesiredVm(
                UUID.randomUUID(),
                name,
                1,
                1,
                DesiredState.STOPPED,
                0,
                new Resources(1, 128, 1),
                imageId,
                "test-guest",
                ImageFormat.KERNEL_INITRD,
                null,
                new GuestSpec(List.of(), null, List.of(volume)));
    }

    /** Runs {@code qemu-io -f qcow2 -c COMMAND FILE} and returns what it printed. */
    private static String qemuIo(Path file, String command) throws IOException {
        Process process = new ProcessBuilder("qemu-io", "-f", "qcow2", "-c", command, file.toString())
                .redirectErrorStream(true)
                .start();
        try {
            String output =
                    new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** QMP {@code query-block}: each block device's name and the file behind it, over a QMP connection of our own. */
    private static Map<String, String> blockDevices(VmPaths paths) {
        Map<String, String> files = new HashMap<>();
        try (QmpClient qmp = QmpClient.connect(paths.qmpSocket(), "test", QMP_TIMEOUT)) {
            for (JsonNode device : qmp.execute("query-block", QMP_TIMEOUT)) {
                files.put(
                        device.path("device").asText(),
                        device.path("inserted").path("file").asText(""));
            }
        }
        return files;
    }

    private QemuDriver newDriver() {
        return new QemuDriver(QemuSettings.defaults(stateDir).withAccel(QemuAccel.TCG), images, Clock.systemUTC());
    }
}
