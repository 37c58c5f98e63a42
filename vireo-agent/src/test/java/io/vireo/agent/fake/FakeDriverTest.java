package io.vireo.agent.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.agent.testing.Vms;
import io.vireo.common.testing.MutableClock;
import io.vireo.model.ObservedPower;
import io.vireo.model.Resources;
import io.vireo.model.VmStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeDriverTest {
    private static final UUID VM = Vms.id(1);
    private static final Duration BOOT = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));
    private Path stateDir;

    @BeforeEach
    void useDirectory(@TempDir Path directory) {
        stateDir = directory;
    }

    private FakeDriver driver(Duration bootDelay, double failureRate) {
        return new FakeDriver(
                new FakeDriverSettings(bootDelay, failureRate, FakeDriverSettings.DEFAULT_CAPACITY),
                stateDir,
                clock,
                new SplittableRandom(1));
    }

    private static ObservedPower power(FakeDriver driver, UUID vmId) {
        return driver.find(vmId).map(DriverVm::power).orElse(ObservedPower.ABSENT);
    }

    @Test
    void metricsAreSyntheticDeterministicAndFollowTheModel() {
        FakeDriver driver = driver(BOOT, 0);
        driver.create(Vms.running(VM));
        assertThat(driver.metrics()).as("a stopped VM has no guest to sample").isEmpty();
        driver.start(VM);

        VmStats booting = driver.metrics().getFirst();
        assertThat(booting.cpu().percent()).isEqualTo(100.0);
        clock.advance(Duration.ofMinutes(1));
        VmStats running = driver.metrics().getFirst();
        int load =
                running.cpu().percent() == null ? -1 : running.cpu().percent().intValue();
        assertThat(load).isBetween(5, 45);
        assertThat(running.synthetic()).isTrue();
        assertThat(running.network()).as("fake VMs have no network interface").isNull();
        assertThat(running.sampledAt()).isEqualTo(clock.instant());
        assertThat(running.cpu().timeMillis()).isEqualTo(60_000L * Vms.SMALL.vcpus() * load / 100);
        assertThat(running.memory().guestBytes()).isEqualTo(Vms.SMALL.memoryMib() * 1024 * 1024);
        assertThat(running.memory().residentBytes())
                .isPositive()
                .isLessThan(running.memory().guestBytes());
        assertThat(running.memory().guestAvailableBytes())
                .isLessThan(running.memory().guestTotalBytes());
        assertThat(running.disk().readBytes()).isGreaterThan(booting.disk().readBytes());
        assertThat(driver(BOOT, 0).metrics())
                .as("the same model and time give the same sample")
                .containsExactly(running);

        driver.pause(VM);
        assertThat(driver.metrics().getFirst().cpu().percent()).isEqualTo(0.0);
        driver.stop(VM, Duration.ZERO);
        assertThat(driver.metrics()).isEmpty();
    }

    @Test
    void reportsDefaultCapacityAndCapability() {
        FakeDriver driver = driver(Duration.ZERO, 0);

        assertThat(driver.name()).isEqualTo("fake");
        assertThat(driver.inventory().capacity()).isEqualTo(new Resources(128, 512 * 1024, 10_000));
        assertThat(driver.inventory().capabilities()).containsExactly("driver:fake");
    }

    @Test
    void walksThroughTheLifecycle() {
        FakeDriver driver = driver(Duration.ZERO, 0);

        driver.create(Vms.running(VM));
        assertThat(power(driver, VM)).isEqualTo(ObservedPower.STOPPED);
        assertThat(driver.find(VM).orElseThrow().startedAt()).isNull();

        driver.start(VM);
        assertThat(power(driver, VM)).isEqualTo(ObservedPower.RUNNING);
        assertThat(driver.find(VM).orElseThrow().startedAt()).isEqualTo(clock.instant());

        driver.pause(VM);
        assertThat(power(driver, VM)).isEqualTo(ObservedPower.PAUSED);
        driver.resume(VM);
        assertThat(power(driver, VM)).isEqualTo(ObservedPower.RUNNING);

        driver.stop(VM, Duration.ofSeconds(1));
        assertThat(power(driver, VM)).isEqualTo(ObservedPower.STOPPED);

        driver.delete(VM);
        assertThat(driver.list()).isEmpty();
        assertThat(stateDir.resolve("fake-vms").resolve(VM + ".json")).doesNotExist();
    }

    @Test
    void operationsAreIdempotent() {
        FakeDriver driver = driver(Duration.ZERO, 0);
        driver.create(Vms.running(VM));
        driver.start(VM);
        Instant startedAt = driver.find(VM).orElseThrow().startedAt();
        clock.advance(Duration.ofMinutes(1));

        driver.create(Vms.running(VM));
        driver.start(VM);

        assertThat(driver.find(VM).orElseThrow().startedAt()).isEqualTo(startedAt);
        driver.stop(VM, Duration.ZERO);
        driver.stop(VM, Duration.ZERO);
        driver.delete(VM);
        driver.delete(VM);
        assertThat(driver.list()).isEmpty();
    }

    @Test
    void drawsEachBootDelayUniformlyFromTheRange() {
        FakeDriver driver = new FakeDriver(
                new FakeDriverSettings(Duration.ZERO, 0, FakeDriverSettings.DEFAULT_CAPACITY)
                        .withBootDelay(Duration.ofMillis(100), Duration.ofMillis(500)),
                stateDir,
                clock,
                new SplittableRandom(1));
        List<UUID> vms = IntStream.rangeClosed(1, 200).mapToObj(Vms::id).toList();
        for (UUID vm : vms) {
            driver.create(Vms.running(vm));
            driver.start(vm);
        }

        clock.advance(Duration.ofMillis(99));
        assertThat(vms).allMatch(vm -> power(driver, vm) == ObservedPower.CREATING);
        clock.advance(Duration.ofMillis(201));
        long running = vms.stream()
                .filter(vm -> power(driver, vm) == ObservedPower.RUNNING)
                .count();
        assertThat(running).as("about half boot within 300 ms").isBetween(70L, 130L);
        clock.advance(Duration.ofMillis(200));
        assertThat(vms).allMatch(vm -> power(driver, vm) == ObservedPower.RUNNING);
    }

    @Test
    void rejectsABootDelayRangeThatEndsBeforeItStarts() {
        assertThatThrownBy(
                        () -> FakeDriverSettings.DEFAULTS.withBootDelay(Duration.ofMillis(500), Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootDelayMax");
    }

    @Test
    void showsCreatingUntilTheBootDelayHasPassed() {
        FakeDriver driver = driver(BOOT, 0);
        driver.create(Vms.running(VM));

        driver.start(VM);

        assertThat(power(driver, VM)).isEqualTo(ObservedPower.CREATING);
        clock.advance(BOOT.minusMillis(1));
        assertThat(power(driver, VM)).isEqualTo(ObservedPower.CREATING);
        clock.advance(Duration.ofMillis(1));
        assertThat(power(driver, VM)).isEqualTo(ObservedPower.RUNNING);
    }

    @Test
    void rebootStartsANewGuest() {
        FakeDriver driver = driver(BOOT, 0);
        driver.create(Vms.running(VM));
        driver.start(VM);
        clock.advance(Duration.ofMinutes(1));

        driver.reboot(VM);

        DriverVm vm = driver.find(VM).orElseThrow();
        assertThat(vm.startedAt()).isEqualTo(clock.instant());
        assertThat(vm.power()).isEqualTo(ObservedPower.CREATING);
    }

    @Test
    void refusesToRebootOrPauseAStoppedVmAndToStartAnAbsentOne() {
        FakeDriver driver = driver(Duration.ZERO, 0);
        driver.create(Vms.running(VM));

        assertThatThrownBy(() -> driver.reboot(VM)).isInstanceOf(HypervisorException.class);
        assertThatThrownBy(() -> driver.pause(VM)).isInstanceOf(HypervisorException.class);
        assertThatThrownBy(() -> driver.start(Vms.id(2)))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aNewDriverOnTheSameDirectoryFindsTheRunningVmsWithTheirStartTime() {
        FakeDriver first = driver(Duration.ZERO, 0);
        first.create(Vms.running(VM));
        first.start(VM);
        first.create(Vms.running(Vms.id(2)));
        DriverVm before = first.find(VM).orElseThrow();
        first.close();
        clock.advance(Duration.ofHours(1));

        FakeDriver second = driver(Duration.ZERO, 0);

        assertThat(second.find(VM)).contains(before);
        assertThat(power(second, Vms.id(2))).isEqualTo(ObservedPower.STOPPED);
        assertThat(second.list()).hasSize(2);
    }

    @Test
    void failureRateOneFailsEveryBootingOperationAndChangesNothing() {
        FakeDriver driver = driver(Duration.ZERO, 1);

        assertThatThrownBy(() -> driver.create(Vms.running(VM)))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("injected failure: create");
        assertThat(driver.list()).isEmpty();
    }

    @Test
    void failureRateFailsAboutThatShareOfOperations() {
        FakeDriver driver = driver(Duration.ZERO, 0.25);
        int attempts = 400;

        long failures = IntStream.range(0, attempts)
                .filter(i -> {
                    try {
                        driver.create(Vms.running(Vms.id(i)));
                        return false;
                    } catch (HypervisorException e) {
                        return true;
                    }
                })
                .count();

        assertThat(failures).isBetween(60L, 140L);
        assertThat(driver.list()).hasSize(attempts - (int) failures);
    }

    @Test
    void skipsDamagedStateFilesAndLeftoverTemporaryFiles() throws Exception {
        Path directory = Files.createDirectories(stateDir.resolve("fake-vms"));
        Files.writeString(directory.resolve(Vms.id(3) + ".json"), "{ not json");
        Files.writeString(directory.resolve(Vms.id(4) + ".json.tmp"), "{}");

        FakeDriver driver = driver(Duration.ZERO, 0);

        assertThat(driver.list()).isEmpty();
        assertThat(directory.resolve(Vms.id(4) + ".json.tmp")).doesNotExist();
    }
}
