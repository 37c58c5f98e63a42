package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.agent.hypervisor.IncomingMigration;
import io.vireo.agent.hypervisor.MigrationStats;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.ImageFormat;
import io.vireo.model.ObservedPower;
import io.vireo.model.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live migration between two {@link QemuDriver}s with separate state directories and a shared image directory, as two
 * agents on one machine have them: real QEMU under TCG, the test guest with a data disk that is copied over NBD.
 */
class QemuMigrationTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MIGRATION_TIMEOUT = Duration.ofSeconds(60);
    /** A guest with a 1 GiB disk, so that the disk copy runs too. */
    private static final Resources WITH_DISK = new Resources(1, 128, 1);

    private static Path guest = Path.of("unset");

    @TempDir
    Path sourceDir;

    @TempDir
    Path destinationDir;

    @TempDir
    Path imageDir;

    private final UUID imageId = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");
    private static final UUID SOURCE_HOST = UUID.fromString("5a5a5a5a-0000-4000-8000-000000000001");
    private static final UUID DESTINATION_HOST = UUID.fromString("d0d0d0d0-0000-4000-8000-000000000002");
    private final List<QemuDriver> drivers = new ArrayList<>();
    private LocalImageStore images = new LocalImageStore(Path.of("unset"));

    @BeforeAll
    static void requireQemu() {
        assumeThat(TestGuest.onPath("qemu-system-x86_64"))
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
        drivers.forEach(QemuDriver::close);
        for (Path stateDir : List.of(sourceDir, destinationDir)) {
            TestGuest.deleteEveryVm(settings(stateDir), images);
        }
    }

    @Test
    void aRunningGuestMovesToTheDestinationAndKeepsCounting() throws Exception {
        QemuDriver source = driver(sourceDir, QemuMigrationSettings.defaults());
        QemuDriver destination = driver(destinationDir, QemuMigrationSettings.defaults());
        DesiredVm vm = vm();
        SerialLog sourceSerial = new SerialLog(source.paths(vm.vmId()).serialLog());
        SerialLog destinationSerial = new SerialLog(destination.paths(vm.vmId()).serialLog());
        source.create(vm);
        source.start(vm.vmId());
        await().atMost(BOOT_TIMEOUT).until(() -> sourceSerial.lastTick() >= 2);
        long sourcePid = pid(source, vm.vmId());

        IncomingMigration incoming = destination.prepareIncoming(vm, SOURCE_HOST);
        assertThat(destination.find(vm.vmId()).map(DriverVm::power)).contains(ObservedPower.CREATING);
        assertThat(incoming.endpoint().diskPort())
                .as("the disk is copied over NBD")
                .isPositive();
        int tickBefore = sourceSerial.lastTick();
        MigrationStats stats = source.migrateOut(vm.vmId(), incoming.endpoint(), DESTINATION_HOST);

        incoming.running().get(MIGRATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(stats.downtime()).isPositive().isLessThan(Duration.ofSeconds(5));
        assertThat(stats.total()).isGreaterThanOrEqualTo(stats.memory());
        assertThat(stats.transferredBytes()).isPositive();
        assertThat(QemuProcesses.isRunning(sourcePid, vm.vmId()))
                .as("the source QEMU is gone")
                .isFalse();
        assertThat(source.paths(vm.vmId()).disk()).doesNotExist();
        assertThat(source.find(vm.vmId())).hasValueSatisfying(found -> {
            assertThat(found.power()).isEqualTo(ObservedPower.CREATING);
            assertThat(found.message()).isEqualTo(QemuDriver.MIGRATED_MESSAGE);
        });
        assertThatThrownBy(() -> source.create(vm)).hasMessageContaining("migrated");
        assertThat(destination.find(vm.vmId()).map(DriverVm::power)).contains(ObservedPower.RUNNING);
        await().atMost(BOOT_TIMEOUT).until(() -> destinationSerial.lastTick() >= tickBefore + 2);
        assertThat(destinationSerial.boots()).as("the guest was not restarted").isZero();
        assertThat(destinationSerial.ticksOfLastBoot().getFirst())
                .as("the counter continues where it was")
                .isGreaterThanOrEqualTo(tickBefore);

        destination.close();
        QemuDriver adopter = driver(destinationDir, QemuMigrationSettings.defaults());
        assertThat(adopter.find(vm.vmId()).map(DriverVm::power)).contains(ObservedPower.RUNNING);
        source.delete(vm.vmId());
        assertThat(source.paths(vm.vmId()).directory()).doesNotExist();
        assertThat(source.find(vm.vmId())).isEmpty();
    }

    @Test
    void aDestinationThatDiesMidwayLeavesTheGuestRunningOnTheSource() throws Exception {
        // A slow memory migration (2 MiB/s for 128 MiB) so that the destination can be killed while it runs.
        QemuDriver source = driver(
                sourceDir, QemuMigrationSettings.defaults().withLimits(2L * 1024 * 1024, Duration.ofMillis(300)));
        QemuDriver destination = driver(destinationDir, QemuMigrationSettings.defaults());
        DesiredVm vm = vm();
        SerialLog sourceSerial = new SerialLog(source.paths(vm.vmId()).serialLog());
        source.create(vm);
        source.start(vm.vmId());
        await().atMost(BOOT_TIMEOUT).until(() -> sourceSerial.lastTick() >= 1);
        long sourcePid = pid(source, vm.vmId());
        IncomingMigration incoming = destination.prepareIncoming(vm, SOURCE_HOST);
        long destinationPid = pid(destination, vm.vmId());
        long residentAtStart = residentKib(destinationPid);

        CompletableFuture<MigrationStats> migration = CompletableFuture.supplyAsync(
                () -> source.migrateOut(vm.vmId(), incoming.endpoint(), DESTINATION_HOST));
        await().atMost(MIGRATION_TIMEOUT).until(() -> residentKib(destinationPid) > residentAtStart + 8 * 1024);
        assertThat(source.find(vm.vmId()).map(DriverVm::message)).contains("migrating to another host");
        ProcessHandle.of(destinationPid).orElseThrow().destroyForcibly();

        assertThatThrownBy(() -> migration.get(MIGRATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(HypervisorException.class);
        assertThatThrownBy(() -> incoming.running().get(MIGRATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(QemuProcesses.isRunning(sourcePid, vm.vmId())).isTrue();
        assertThat(source.find(vm.vmId())).hasValueSatisfying(found -> {
            assertThat(found.power()).isEqualTo(ObservedPower.RUNNING);
            assertThat(found.message()).isEmpty();
        });
        int tick = sourceSerial.lastTick();
        await().atMost(BOOT_TIMEOUT).until(() -> sourceSerial.lastTick() >= tick + 2);
        assertThat(sourceSerial.boots()).isEqualTo(1);

        destination.delete(vm.vmId());
        assertThat(destination.paths(vm.vmId()).directory()).doesNotExist();
    }

    @Test
    void aVmThatExistsCannotBePreparedAgainAndAStoppedVmCannotMigrate() {
        QemuDriver source = driver(sourceDir, QemuMigrationSettings.defaults());
        DesiredVm vm = vm();
        source.create(vm);

        assertThatThrownBy(() -> source.prepareIncoming(vm, DESTINATION_HOST)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> source.migrateOut(
                        vm.vmId(),
                        new io.vireo.agent.hypervisor.MigrationEndpoint("127.0.0.1", 49152, 0),
                        DESTINATION_HOST))
                .hasMessageContaining("not running");
        assertThat(source.paths(vm.vmId()).stateFile()).exists();
    }

    /** A driver of the source host (in {@code sourceDir}) or of the destination host, with its certificate. */
    private QemuDriver driver(Path stateDir, QemuMigrationSettings migration) {
        UUID host = stateDir.equals(sourceDir) ? SOURCE_HOST : DESTINATION_HOST;
        QemuDriver driver = new QemuDriver(
                settings(stateDir),
                images,
                Clock.systemUTC(),
                migration.withIdentity(HostCertificates.issue(stateDir, host)),
                new SplittableRandom(7));
        drivers.add(driver);
        return driver;
    }

    private static QemuSettings settings(Path stateDir) {
        return QemuSettings.defaults(stateDir).withAccel(QemuAccel.TCG);
    }

    private DesiredVm vm() {
        return new DesiredVm(
                UUID.randomUUID(),
                "test-vm",
                1,
                1,
                DesiredState.RUNNING,
                0,
                WITH_DISK,
                imageId,
                "test-guest",
                ImageFormat.KERNEL_INITRD);
    }

    private static long pid(QemuDriver driver, UUID vmId) {
        return QemuProcesses.readPid(driver.paths(vmId).pidFile()).orElseThrow();
    }

    /** VmRSS of a process in KiB, 0 once it is gone. */
    private static long residentKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
