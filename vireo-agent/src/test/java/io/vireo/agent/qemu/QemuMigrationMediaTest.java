package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.agent.hypervisor.IncomingMigration;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.GuestSpec;
import io.vireo.model.ImageFormat;
import io.vireo.model.ObservedPower;
import io.vireo.model.Resources;
import io.vireo.model.VolumeAttachment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live migration of VMs with data volumes and a cloud-init seed between two {@link QemuDriver}s on one machine (real
 * QEMU under TCG). Markers written into the source's disks with {@code qemu-io} before the VM starts must be in the
 * destination's copies; the destination's QEMU must have the same block devices; the source's files must be gone
 * after a migration and intact after a failed one, whose destination keeps nothing.
 */
class QemuMigrationMediaTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MIGRATION_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
    private static final String KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOvdoX7DkM+N+S4x5MJ/N5t9O2iGA/OFqxoH2195Fja3 user@example";

    private static Path guest = Path.of("unset");

    @TempDir
    Path sourceDir;

    private static final UUID SOURCE_HOST = UUID.fromString("5a5a5a5a-0000-4000-8000-000000000011");
    private static final UUID DESTINATION_HOST = UUID.fromString("d0d0d0d0-0000-4000-8000-000000000012");

    @TempDir
    Path destinationDir;

    @TempDir
    Path imageDir;

    private final UUID guestImage = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");
    private final UUID diskImage = UUID.fromString("1f1e1d1c-1b1a-4918-8716-151413121110");
    private final List<QemuDriver> drivers = new ArrayList<>();
    private LocalImageStore images = new LocalImageStore(Path.of("unset"));

    @BeforeAll
    static void requireQemu() {
        assumeThat(TestGuest.onPath("qemu-system-x86_64")
                        && TestGuest.onPath("qemu-io")
                        && TestGuest.onPath("genisoimage")
                        && TestGuest.onPath("isoinfo"))
                .as("QEMU, qemu-io, genisoimage or isoinfo is not installed; skipping")
                .isTrue();
        guest = TestGuest.directory();
    }

    @BeforeEach
    void makeTheImages() throws IOException {
        images = TestGuest.imageStore(imageDir, guestImage);
        run(
                "qemu-img",
                "create",
                "-q",
                "-f",
                "qcow2",
                images.location(diskImage, ImageFormat.QCOW2).toString(),
                "1G");
    }

    @AfterEach
    void tearDown() {
        drivers.forEach(QemuDriver::close);
        for (Path stateDir : List.of(sourceDir, destinationDir)) {
            TestGuest.deleteEveryVm(settings(stateDir), images);
        }
    }

    @Test
    void aCountingGuestMovesWithItsDiskAndVolumesAndTheSourceKeepsNoFile() throws Exception {
        QemuDriver source = driver(sourceDir);
        QemuDriver destination = driver(destinationDir);
        VolumeAttachment scratch = new VolumeAttachment(UUID.randomUUID(), 2, true);
        VolumeAttachment kept = new VolumeAttachment(UUID.randomUUID(), 1, false);
        DesiredVm vm =
                vm(ImageFormat.KERNEL_INITRD, guestImage, new GuestSpec(List.of(), null, List.of(scratch, kept)));
        VmPaths from = source.paths(vm.vmId());
        VmPaths to = destination.paths(vm.vmId());
        SerialLog sourceSerial = new SerialLog(from.serialLog());
        SerialLog destinationSerial = new SerialLog(to.serialLog());
        source.create(vm);
        write(from.disk(), 0x3c, "4M");
        write(from.volume(scratch.volumeId()), 0x5a, "0");
        write(from.volume(scratch.volumeId()), 0x5b, "1536M");
        write(from.volume(kept.volumeId()), 0x6b, "512M");
        source.start(vm.vmId());
        await().atMost(BOOT_TIMEOUT).until(() -> sourceSerial.lastTick() >= 2);
        assertThat(sourceSerial.contains("disks=vda,vdb,vdc")).isTrue();

        IncomingMigration incoming = destination.prepareIncoming(vm, SOURCE_HOST);
        int tickBefore = sourceSerial.lastTick();
        source.migrateOut(vm.vmId(), incoming.endpoint(), DESTINATION_HOST);
        incoming.running().get(MIGRATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(destination.find(vm.vmId()).map(DriverVm::power)).contains(ObservedPower.RUNNING);
        await().atMost(BOOT_TIMEOUT).until(() -> destinationSerial.lastTick() >= tickBefore + 2);
        assertThat(destinationSerial.boots()).as("the guest was not restarted").isZero();
        assertThat(destinationSerial.ticksOfLastBoot().getFirst()).isGreaterThanOrEqualTo(tickBefore);
        assertHolds(to.disk(), 0x3c, "4M");
        assertHolds(to.volume(scratch.volumeId()), 0x5a, "0");
        assertHolds(to.volume(scratch.volumeId()), 0x5b, "1536M");
        assertHolds(to.volume(kept.volumeId()), 0x6b, "512M");
        assertThat(from.volume(scratch.volumeId())).doesNotExist();
        assertThat(from.volume(kept.volumeId()))
                .as("a kept volume's data lives on the destination now")
                .doesNotExist();
        assertThat(filesIn(from.directory())).containsExactly(from.migratedMarker());

        destination.close();
        assertThat(blockDevices(to))
                .containsEntry("disk0", to.disk().toString())
                .containsEntry("vol0", to.volume(scratch.volumeId()).toString())
                .containsEntry("vol1", to.volume(kept.volumeId()).toString());
        QemuDriver adopter = driver(destinationDir);
        assertThat(adopter.find(vm.vmId()).map(DriverVm::power)).contains(ObservedPower.RUNNING);
    }

    @Test
    void aSeededVmWithAVolumeStaysOnTheSourceWhenTheDestinationDiesThenMovesWithTheSameSeed() throws Exception {
        QemuDriver source = driver(sourceDir);
        QemuDriver destination = driver(destinationDir);
        VolumeAttachment data = new VolumeAttachment(UUID.randomUUID(), 1, true);
        DesiredVm vm = vm(
                ImageFormat.QCOW2,
                diskImage,
                new GuestSpec(List.of(KEY), "#cloud-config\nruncmd: [echo hello]\n", List.of(data)));
        VmPaths from = source.paths(vm.vmId());
        VmPaths to = destination.paths(vm.vmId());
        source.create(vm);
        write(from.disk(), 0x11, "64M");
        write(from.volume(data.volumeId()), 0x22, "768M");
        String metaData = isoFile(from.seedIso(), "/meta-data");
        String userData = isoFile(from.seedIso(), "/user-data");
        source.start(vm.vmId());
        await().atMost(BOOT_TIMEOUT)
                .until(() -> source.find(vm.vmId()).map(DriverVm::power).orElseThrow() == ObservedPower.RUNNING);

        IncomingMigration doomed = destination.prepareIncoming(vm, SOURCE_HOST);
        assertThat(to.volume(data.volumeId())).exists();
        ProcessHandle.of(QemuProcesses.readPid(to.pidFile()).orElseThrow())
                .orElseThrow()
                .destroyForcibly();
        assertThatThrownBy(() -> source.migrateOut(vm.vmId(), doomed.endpoint(), DESTINATION_HOST))
                .isInstanceOf(HypervisorException.class);
        assertThatThrownBy(() -> doomed.running().get(MIGRATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(destination.discardIncoming(vm.vmId())).isTrue();
        assertThat(to.directory()).doesNotExist();
        assertThat(to.volume(data.volumeId())).as("the partial copy is removed").doesNotExist();
        assertThat(source.find(vm.vmId())).hasValueSatisfying(found -> {
            assertThat(found.power()).isEqualTo(ObservedPower.RUNNING);
            assertThat(found.message()).isEmpty();
        });
        assertThat(from.volume(data.volumeId())).exists();
        assertThat(from.seedIso()).exists();

        IncomingMigration incoming = destination.prepareIncoming(vm, SOURCE_HOST);
        source.migrateOut(vm.vmId(), incoming.endpoint(), DESTINATION_HOST);
        incoming.running().get(MIGRATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(isoFile(to.seedIso(), "/meta-data"))
                .as("the same instance id: cloud-init does not run again")
                .isEqualTo(metaData)
                .contains("instance-id: " + vm.vmId());
        assertThat(isoFile(to.seedIso(), "/user-data")).isEqualTo(userData).contains(KEY);
        assertThat(to.incomingMarker())
                .as("it arrived: never discarded as a waiting VM")
                .doesNotExist();
        assertHolds(to.disk(), 0x11, "64M");
        assertHolds(to.volume(data.volumeId()), 0x22, "768M");
        assertThat(from.volume(data.volumeId())).doesNotExist();
        assertThat(filesIn(from.directory())).containsExactly(from.migratedMarker());
        destination.close();
        Map<String, String> devices = blockDevices(to);
        assertThat(devices)
                .containsEntry("disk0", to.disk().toString())
                .containsEntry("vol0", to.volume(data.volumeId()).toString())
                .containsEntry("seed0", to.seedIso().toString());
    }

    @Test
    void aVmWaitingForAnIncomingMigrationWhenTheAgentRestartsShowsSoAndIsDiscardedByTheNextDriver() {
        QemuDriver destination = driver(destinationDir);
        DesiredVm vm = vm(ImageFormat.QCOW2, diskImage, new GuestSpec(List.of(), null, List.of()));
        VmPaths to = destination.paths(vm.vmId());
        destination.prepareIncoming(vm, SOURCE_HOST);
        assertThat(to.incomingMarker()).exists();
        destination.close(); // the agent stops; its QEMU waits on

        QemuDriver restarted = driver(destinationDir);
        assertThat(restarted.find(vm.vmId())).hasValueSatisfying(found -> {
            assertThat(found.power())
                    .as("it never ran here: not a stopped VM to start")
                    .isEqualTo(ObservedPower.CREATING);
            assertThat(found.message()).isEqualTo(QemuDriver.INCOMING_MESSAGE);
        });
        assertThat(restarted.discardIncoming(vm.vmId()))
                .as("what an earlier agent left waiting is discarded")
                .isTrue();
        assertThat(to.directory()).doesNotExist();
        assertThat(restarted.find(vm.vmId())).isEmpty();
        assertThat(restarted.discardIncoming(vm.vmId())).isFalse();
    }

    private QemuDriver driver(Path stateDir) {
        UUID host = stateDir.equals(sourceDir) ? SOURCE_HOST : DESTINATION_HOST;
        QemuDriver driver = new QemuDriver(
                settings(stateDir),
                images,
                Clock.systemUTC(),
                QemuMigrationSettings.defaults().withIdentity(HostCertificates.issue(stateDir, host)),
                new SplittableRandom(11));
        drivers.add(driver);
        return driver;
    }

    private static QemuSettings settings(Path stateDir) {
        return QemuSettings.defaults(stateDir).withAccel(QemuAccel.TCG);
    }

    private static DesiredVm vm(ImageFormat format, UUID imageId, GuestSpec guest) {
        return new DesiredVm(
                UUID.randomUUID(),
                "media-vm",
                1,
                1,
                DesiredState.RUNNING,
                0,
                new Resources(1, 128, 1),
                imageId,
                "image",
                format,
                null,
                guest);
    }

    /** Writes 64 KiB of {@code pattern} at {@code offset} into a qcow2 no QEMU has open. */
    private void write(Path qcow2, int pattern, String offset) {
        String output =
                run("qemu-io", "-f", "qcow2", "-c", "write -P " + pattern + " " + offset + " 64k", qcow2.toString());
        assertThat(output).contains("wrote 65536/65536 bytes");
    }

    /** Reads the 64 KiB at {@code offset} of a qcow2 (shared with the QEMU that has it open) and checks the pattern. */
    private void assertHolds(Path qcow2, int pattern, String offset) {
        String output = run(
                "qemu-io",
                "-r",
                "-U",
                "-f",
                "qcow2",
                "-c",
                "read -P " + pattern + " " + offset + " 64k",
                qcow2.toString());
        assertThat(output)
                .as(qcow2 + " at " + offset)
                .contains("read 65536/65536 bytes")
                .doesNotContain("fail");
    }

    private String isoFile(Path iso, String name) {
        return run("isoinfo", "-i", iso.toString(), "-R", "-x", name);
    }

    private String run(String... command) {
        ExternalCommand.Result result = ExternalCommand.run(List.of(command), imageDir, TOOL_TIMEOUT, null);
        assertThat(result.exitCode())
                .as(String.join(" ", command) + ": " + result.output())
                .isZero();
        return result.output();
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    /** QMP {@code query-block}: each block device's name and its file, over a QMP connection of our own. */
    private static Map<String, String> blockDevices(VmPaths paths) {
        Map<String, String> files = new HashMap<>();
        try (QmpClient qmp = QmpClient.connect(paths.qmpSocket(), "test", TOOL_TIMEOUT)) {
            for (JsonNode device : qmp.execute("query-block", TOOL_TIMEOUT)) {
                files.put(
                        device.path("device").asText(),
                        device.path("inserted").path("file").asText(""));
            }
        }
        return files;
    }
}
