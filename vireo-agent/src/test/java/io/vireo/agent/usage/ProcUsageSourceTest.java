package io.vireo.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.fake.FakeDriverSettings;
import io.vireo.agent.reconcile.ReconcilerSettings;
import io.vireo.agent.reconcile.VmReconciler;
import io.vireo.common.testing.MutableClock;
import io.vireo.model.HostUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcUsageSourceTest {
    @Test
    void readsCpuBetweenSamplesAndMemoryFromProc(@TempDir Path directory) throws IOException {
        Path proc = Files.createDirectories(directory.resolve("proc"));
        Files.writeString(proc.resolve("meminfo"), """
                MemTotal:       16384000 kB
                MemFree:         1000000 kB
                MemAvailable:    8192000 kB
                """);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));
        FakeDriver driver = new FakeDriver(FakeDriverSettings.DEFAULTS, directory, clock, new SplittableRandom(1));
        try (VmReconciler reconciler = new VmReconciler(
                driver, directory, ReconcilerSettings.DEFAULTS, clock, new SplittableRandom(2), Runnable::run)) {
            ProcUsageSource source = new ProcUsageSource(proc, directory, reconciler);

            Files.writeString(proc.resolve("stat"), "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n");
            source.sample();
            Files.writeString(proc.resolve("stat"), "cpu  175 0 125 750 150 0 0 0 0 0\ncpu0 1 2 3 4\n");
            HostUsage usage = source.sample();

            // 200 jiffies passed, 100 of them idle or waiting on I/O.
            assertThat(usage.cpuPercent()).isCloseTo(50.0, within(0.001));
            assertThat(usage.memoryUsedMib()).isEqualTo((16_384_000 - 8_192_000) / 1024);
            assertThat(usage.runningVms()).isZero();
        }
    }

    @Test
    void reportsZeroForWhatItCannotRead(@TempDir Path directory) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));
        FakeDriver driver = new FakeDriver(FakeDriverSettings.DEFAULTS, directory, clock, new SplittableRandom(1));
        try (VmReconciler reconciler = new VmReconciler(
                driver, directory, ReconcilerSettings.DEFAULTS, clock, new SplittableRandom(2), Runnable::run)) {
            ProcUsageSource source = new ProcUsageSource(directory.resolve("missing"), directory, reconciler);

            HostUsage usage = source.sample();

            assertThat(usage.cpuPercent()).isZero();
            assertThat(usage.memoryUsedMib()).isZero();
        }
    }
}
