package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.agent.usage.VmMetricsSampler;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.ImageFormat;
import io.vireo.model.ObservedPower;
import io.vireo.model.Resources;
import io.vireo.model.VmStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link QemuDriver} with real QEMU processes under TCG, booting the Vireo test guest. At most one VM runs at a time;
 * every test deletes its VMs, and {@link #tearDown()} kills whatever a failed test left.
 */
class QemuDriverTest {
    /** Under TCG on a busy 2-core machine the guest needs 3 to 10 seconds to come up. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** Long enough to see two ticks if the guest were running. */
    private static final Duration PAUSE_OBSERVATION = Duration.ofMillis(2500);

    private static final Instant FIRST_START = Instant.parse("2026-11-27T10:00:00Z");
    private static final Instant LATER = Instant.parse("2026-11-27T11:00:00Z");
    private static final Resources SMALL = new Resources(1, 128, 0);

    private static Path guest = Path.of("unset");

    @TempDir
    Path stateDir;

    @TempDir
    Path imageDir;

    private final UUID imageId = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");
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
        for (QemuDriver driver : drivers) {
            driver.close();
        }
        // Whatever a failed test left running: QEMU is daemonised and would outlive the test JVM.
        TestGuest.deleteEveryVm(settings(), images);
    }

    @Test
    void aVmWithADataDiskAndACloudInitSeedGoesThroughItsWholeLifecycle() {
        QemuDriver driver = driver(settings(), FIRST_START);
        DesiredVm vm = vm(UUID.randomUUID(), new Resources(1, 128, 1), imageId, ImageFormat.KERNEL_INITRD);
        SerialLog serial = new SerialLog(driver.paths(vm.vmId()).serialLog());

        driver.create(vm);
        assertThat(driver.find(vm.vmId()))
                .hasValueSatisfying(found -> assertThat(found.power()).isEqualTo(ObservedPower.STOPPED));
        writeSeed(driver.paths(vm.vmId()));

        driver.start(vm.vmId());
        assertThat(driver.find(vm.vmId())).hasValueSatisfying(found -> {
            assertThat(found.power()).isEqualTo(ObservedPower.RUNNING);
            assertThat(found.startedAt()).isEqualTo(FIRST_START);
        });
        awaitBoots(serial, 1);
        assertThat(serial.contains("disks=vda,vdb"))
                .as("the data disk and the seed are virtio disks")
                .isTrue();
        assertThat(driver.metrics(vm.vmId()))
                .hasValueSatisfying(metrics -> assertThat(metrics.disks())
                        .extracting(VmMetrics.Disk::device)
                        .containsExactly("disk0", "seed0"));
        assertThat(driver.metrics(vm.vmId()).orElseThrow().disks())
                .as("the guest read its disks' partition tables")
                .allSatisfy(disk -> assertThat(disk.readOperations()).isPositive());

        driver.stop(vm.vmId(), STOP_GRACE);
        assertThat(serial.contains(SerialLog.ACPI_POWEROFF))
                .as("the guest powered off through the ACPI button")
                .isTrue();
        assertThat(driver.find(vm.vmId())).hasValueSatisfying(found -> {
            assertThat(found.power()).isEqualTo(ObservedPower.STOPPED);
            assertThat(found.startedAt()).isNull();
        });
        assertThat(driver.paths(vm.vmId()).stateFile()).exists();

        driver.start(vm.vmId());
        awaitBoots(serial, 2);
        awaitTick(serial, 2);

        driver.reboot(vm.vmId());
        awaitBoots(serial, 3);
        awaitTick(serial, 1);
        assertThat(serial.ticksOfLastBoot().getFirst())
                .as("the tick counter restarts")
                .isEqualTo(1);

        pauseAndResume(driver, vm.vmId(), serial);

        long pid = pid(driver, vm.vmId());
        driver.delete(vm.vmId());
        assertThat(QemuProcesses.isRunning(pid, vm.vmId())).isFalse();
        assertThat(driver.paths(vm.vmId()).directory()).doesNotExist();
        assertThat(driver.find(vm.vmId())).isEmpty();
        assertThat(driver.list()).isEmpty();
    }

    @Test
    void aNewDriverAdoptsARunningVmWithoutRestartingIt() {
        QemuDriver first = driver(settings(), FIRST_START);
        DesiredVm vm = testGuestVm();
        SerialLog serial = new SerialLog(first.paths(vm.vmId()).serialLog());
        first.create(vm);
        first.start(vm.vmId());
        awaitBoots(serial, 1);
        long pid = pid(first, vm.vmId());
        assertThat(ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                .as("QEMU is daemonised, not a child of the agent")
                .isNotEqualTo(ProcessHandle.current().pid());
        assertThat(sessionId(pid))
                .as("QEMU runs in its own session, so a signal to the agent's session does not reach it")
                .isNotEqualTo(sessionId(ProcessHandle.current().pid()));

        first.close();
        int tickBefore = serial.lastTick();
        QemuDriver second = driver(settings(), LATER);

        assertThat(second.list()).singleElement().satisfies(found -> {
            assertThat(found.vmId()).isEqualTo(vm.vmId());
            assertThat(found.power()).isEqualTo(ObservedPower.RUNNING);
            assertThat(found.startedAt()).isEqualTo(FIRST_START);
        });
        assertThat(pid(second, vm.vmId())).isEqualTo(pid);
        awaitTick(serial, tickBefore + 2);
        assertThat(serial.boots()).as("the guest was not restarted").isEqualTo(1);
        assertThat(second.metrics(vm.vmId())).hasValueSatisfying(metrics -> {
            assertThat(metrics.sampledAt()).isEqualTo(LATER);
            assertThat(metrics.processCpuTime()).isPositive();
            assertThat(metrics.vcpuCpuTimes())
                    .singleElement()
                    .satisfies(vcpu -> assertThat(vcpu).isPositive().isLessThanOrEqualTo(metrics.processCpuTime()));
            assertThat(metrics.residentBytes()).isGreaterThan(32L * 1024 * 1024);
            assertThat(metrics.balloonBytes()).isEqualTo(128L * 1024 * 1024);
            assertThat(metrics.disks()).isEmpty();
        });

        second.pause(vm.vmId());
        assertThat(second.find(vm.vmId()).map(DriverVm::power)).contains(ObservedPower.PAUSED);
        second.delete(vm.vmId());
        assertThat(QemuProcesses.isRunning(pid, vm.vmId())).isFalse();
    }

    @Test
    void metricsAreMeasuredFromQmpAndProcAndStopWhilePaused() {
        QemuDriver driver = new QemuDriver(settings(), images, Clock.systemUTC());
        drivers.add(driver);
        DesiredVm vm = vm(UUID.randomUUID(), new Resources(1, 128, 1), imageId, ImageFormat.KERNEL_INITRD);
        SerialLog serial = new SerialLog(driver.paths(vm.vmId()).serialLog());
        driver.create(vm);
        driver.start(vm.vmId());
        awaitBoots(serial, 1);
        VmMetricsSampler sampler = new VmMetricsSampler(driver, 10);

        VmStats first = sampler.sample().getFirst();
        assertThat(first.vmId()).isEqualTo(vm.vmId());
        assertThat(first.synthetic()).isFalse();
        assertThat(first.cpu().vcpus()).isEqualTo(1);
        assertThat(first.cpu().timeMillis()).as("the guest booted on its vCPU").isPositive();
        assertThat(first.cpu().percent()).as("no previous sample").isNull();
        assertThat(first.memory().residentBytes()).isGreaterThan(32L * 1024 * 1024);
        assertThat(first.memory().guestBytes()).isEqualTo(128L * 1024 * 1024);
        assertThat(first.disk().readOperations())
                .as("the guest read its disk's partition table")
                .isPositive();
        assertThat(first.network())
                .as("an unplugged network interface has no counters")
                .isNull();
        await().atMost(BOOT_TIMEOUT).untilAsserted(() -> {
            VmStats later = sampler.sample().getFirst();
            assertThat(later.cpu().timeMillis()).isGreaterThan(first.cpu().timeMillis());
            assertThat(later.cpu().percent()).isNotNull().isBetween(0.0, 100.0);
        });
        await().atMost(BOOT_TIMEOUT).untilAsserted(() -> {
            VmStats.Memory memory = sampler.sample().getFirst().memory();
            assertThat(memory.guestTotalBytes())
                    .as("the balloon's guest statistics")
                    .isNotNull();
            assertThat(memory.guestTotalBytes()).isBetween(32L * 1024 * 1024, 128L * 1024 * 1024);
            assertThat(memory.guestAvailableBytes()).isNotNull().isLessThanOrEqualTo(memory.guestTotalBytes());
        });

        driver.pause(vm.vmId());
        long pausedAt = sampler.sample().getFirst().cpu().timeMillis();
        await().during(PAUSE_OBSERVATION)
                .atMost(PAUSE_OBSERVATION.plusSeconds(5))
                .until(() -> sampler.sample().getFirst().cpu().timeMillis() == pausedAt);
        assertThat(sampler.sample().getFirst().cpu().percent())
                .as("a paused guest uses no CPU")
                .isEqualTo(0.0);
        driver.resume(vm.vmId());
        await().atMost(BOOT_TIMEOUT)
                .until(() -> sampler.sample().getFirst().cpu().timeMillis() > pausedAt);

        driver.delete(vm.vmId());
        assertThat(driver.metrics()).isEmpty();
    }

    @Test
    void aGuestThatPowersItselfOffIsStoppedAndKeepsItsFiles() {
        QemuDriver driver = driver(
                settings().withKernelCommandLine(QemuSettings.DEFAULT_KERNEL_COMMAND_LINE + " vireo.poweroff_after=1"),
                FIRST_START);
        DesiredVm vm = testGuestVm();
        driver.create(vm);
        driver.start(vm.vmId());

        await().atMost(BOOT_TIMEOUT)
                .until(() -> driver.find(vm.vmId()).map(DriverVm::power).orElseThrow() == ObservedPower.STOPPED);
        assertThat(new SerialLog(driver.paths(vm.vmId()).serialLog()).boots()).isEqualTo(1);
        assertThat(driver.paths(vm.vmId()).stateFile()).exists();
    }

    @Test
    void aGuestThatIgnoresThePowerButtonIsStoppedAfterTheGracePeriod() {
        QemuDriver driver = driver(settings(), FIRST_START);
        DesiredVm vm = testGuestVm();
        driver.create(vm);
        driver.start(vm.vmId());
        long pid = pid(driver, vm.vmId());

        // Still booting: nothing in the guest listens to the ACPI button yet.
        driver.stop(vm.vmId(), Duration.ofMillis(200));

        assertThat(QemuProcesses.isRunning(pid, vm.vmId())).isFalse();
        assertThat(driver.find(vm.vmId()).map(DriverVm::power)).contains(ObservedPower.STOPPED);
        assertThat(new SerialLog(driver.paths(vm.vmId()).serialLog()).contains(SerialLog.ACPI_POWEROFF))
                .isFalse();
    }

    @Test
    void aQcow2VmGetsACopyOnWriteOverlayOverItsImage() throws IOException {
        QemuDriver driver = driver(settings(), FIRST_START);
        UUID baseId = UUID.fromString("1f1e1d1c-1b1a-4918-8716-151413121110");
        Path base = images.location(baseId, ImageFormat.QCOW2);
        run("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "1G");
        DesiredVm vm = vm(UUID.randomUUID(), new Resources(1, 64, 2), baseId, ImageFormat.QCOW2);

        driver.create(vm);

        String info = run(
                "qemu-img",
                "info",
                "-f",
                "qcow2",
                "--output=json",
                driver.paths(vm.vmId()).disk().toString());
        assertThat(info)
                .contains("\"backing-filename\": \"" + base + "\"")
                .contains("\"backing-filename-format\": \"qcow2\"")
                .contains("\"virtual-size\": " + 2L * 1024 * 1024 * 1024);
        driver.start(vm.vmId());
        assertThat(driver.find(vm.vmId()).map(DriverVm::power)).contains(ObservedPower.RUNNING);
        driver.delete(vm.vmId());
        assertThat(base).exists();

        DesiredVm tooSmall = vm(UUID.randomUUID(), new Resources(1, 64, 0), baseId, ImageFormat.QCOW2);
        assertThatThrownBy(() -> driver.create(tooSmall)).isInstanceOf(HypervisorException.class);
    }

    @Test
    void aDiskSmallerThanItsImageIsRefusedAndLeavesNothing() throws IOException {
        QemuDriver driver = driver(settings(), FIRST_START);
        UUID baseId = UUID.fromString("2f2e2d2c-2b2a-4928-8726-252423222120");
        run(
                "qemu-img",
                "create",
                "-q",
                "-f",
                "raw",
                images.location(baseId, ImageFormat.RAW).toString(),
                "3G");
        DesiredVm vm = vm(UUID.randomUUID(), new Resources(1, 64, 2), baseId, ImageFormat.RAW);

        assertThatThrownBy(() -> driver.create(vm))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("smaller than its image (3 GiB)");
        assertThat(driver.paths(vm.vmId()).directory()).doesNotExist();
    }

    @Test
    void operationsAreIdempotentAndRefuseWhatCannotBeDone() {
        QemuDriver driver = driver(settings(), FIRST_START);
        DesiredVm vm = testGuestVm();
        UUID absent = UUID.randomUUID();

        driver.create(vm);
        driver.create(vm);
        driver.stop(vm.vmId(), STOP_GRACE);
        driver.delete(absent);

        assertThat(driver.list()).extracting(DriverVm::vmId).containsExactly(vm.vmId());
        assertThatThrownBy(() -> driver.reboot(vm.vmId())).hasMessageContaining("not running");
        assertThatThrownBy(() -> driver.pause(vm.vmId())).hasMessageContaining("not running");
        assertThatThrownBy(() -> driver.start(absent)).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> driver.create(vm(absent, SMALL, UUID.randomUUID(), ImageFormat.KERNEL_INITRD)))
                .hasMessageContaining("not cached");
        assertThatThrownBy(
                        () -> driver.create(vm(absent, new Resources(0, 128, 0), imageId, ImageFormat.KERNEL_INITRD)))
                .hasMessageContaining("vCPUs");
        assertThat(driver.paths(absent).directory()).doesNotExist();
    }

    @Test
    void theInventoryReportsTheAccelerationAndTheHost() {
        QemuDriver driver = driver(settings(), FIRST_START);

        assertThat(driver.inventory().capabilities()).contains("driver:qemu", "accel:tcg");
        assertThat(driver.inventory().capacity().vcpus()).isPositive();
        assertThat(driver.inventory().capacity().memoryMib()).isPositive();
        assertThat(driver.name()).isEqualTo("qemu");
    }

    private static void writeSeed(VmPaths paths) {
        assumeThat(TestGuest.onPath("genisoimage"))
                .as("genisoimage is not installed; skipping")
                .isTrue();
        new CloudInitSeed(Path.of("genisoimage"), Duration.ofSeconds(30))
                .write(new CloudInitConfig("test", "test-vm", "#cloud-config\n", null), paths.seedIso());
    }

    private void pauseAndResume(QemuDriver driver, UUID vmId, SerialLog serial) {
        driver.pause(vmId);
        assertThat(driver.find(vmId).map(DriverVm::power)).contains(ObservedPower.PAUSED);
        int tickAtPause = serial.lastTick();
        await().during(PAUSE_OBSERVATION)
                .atMost(PAUSE_OBSERVATION.plusSeconds(5))
                .until(() -> serial.lastTick() == tickAtPause);

        driver.resume(vmId);
        assertThat(driver.find(vmId).map(DriverVm::power)).contains(ObservedPower.RUNNING);
        awaitTick(serial, tickAtPause + 1);
        assertThat(serial.ticksOfLastBoot()).as("the counter continues").contains(tickAtPause + 1);
    }

    private QemuDriver driver(QemuSettings settings, Instant now) {
        QemuDriver driver = new QemuDriver(settings, images, Clock.fixed(now, ZoneOffset.UTC));
        drivers.add(driver);
        return driver;
    }

    private QemuSettings settings() {
        return QemuSettings.defaults(stateDir).withAccel(QemuAccel.TCG);
    }

    private DesiredVm testGuestVm() {
        return vm(UUID.randomUUID(), SMALL, imageId, ImageFormat.KERNEL_INITRD);
    }

    private static DesiredVm vm(UUID vmId, Resources resources, UUID imageId, ImageFormat format) {
        return new DesiredVm(vmId, "test-vm", 1, 1, DesiredState.RUNNING, 0, resources, imageId, "test-guest", format);
    }

    private static long pid(QemuDriver driver, UUID vmId) {
        return QemuProcesses.readPid(driver.paths(vmId).pidFile()).orElseThrow();
    }

    private static void awaitBoots(SerialLog serial, int boots) {
        await().atMost(BOOT_TIMEOUT).until(() -> serial.boots() >= boots);
    }

    private static void awaitTick(SerialLog serial, int tick) {
        await().atMost(BOOT_TIMEOUT).until(() -> serial.lastTick() >= tick);
    }

    /** The session id of {@code pid}, field 6 of {@code /proc/PID/stat}. */
    private static long sessionId(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), UTF_8);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[3]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String run(String... command) throws IOException {
        ExternalCommand.Result result = ExternalCommand.run(List.of(command), imageDir, Duration.ofSeconds(30), null);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }
}
