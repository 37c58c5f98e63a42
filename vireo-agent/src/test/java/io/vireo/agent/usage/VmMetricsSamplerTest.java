package io.vireo.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.fake.FakeDriverSettings;
import io.vireo.agent.testing.Vms;
import io.vireo.common.testing.MutableClock;
import io.vireo.model.VmStats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VmMetricsSamplerTest {
    private static final UUID VM = Vms.id(1);
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private static VmStats sample(long atMillis, @Nullable Double percent, long cpuMillis, int vcpus) {
        return new VmStats(
                VM,
                T0.plusMillis(atMillis),
                new VmStats.Cpu(percent, cpuMillis, vcpus),
                new VmStats.Memory(1, 1, null, null),
                VmStats.Disk.NONE,
                null,
                false);
    }

    static Stream<Arguments> shares() {
        return Stream.of(
                // description, before, after, expected percent
                Arguments.of("first sample: not available", null, sample(1000, null, 500, 1), null),
                Arguments.of("half of one vCPU", sample(0, null, 0, 1), sample(1000, null, 500, 1), 50.0),
                Arguments.of("one of two vCPUs", sample(0, null, 1000, 2), sample(2000, null, 3000, 2), 50.0),
                Arguments.of("idle", sample(0, null, 700, 1), sample(2000, null, 700, 1), 0.0),
                Arguments.of("clamped at 100", sample(0, null, 0, 1), sample(1000, null, 1100, 1), 100.0),
                Arguments.of(
                        "new process: CPU time went back", sample(0, null, 900, 1), sample(1000, null, 10, 1), null),
                Arguments.of("no time passed", sample(1000, null, 0, 1), sample(1000, null, 10, 1), null),
                Arguments.of("the driver's own share is kept", sample(0, null, 0, 1), sample(1000, 7.5, 900, 1), 7.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shares")
    void computesTheCpuShareFromConsecutiveSamples(
            String description, @Nullable VmStats before, VmStats after, @Nullable Double percent) {
        assertThat(VmMetricsSampler.withCpuShare(after, before).cpu().percent()).isEqualTo(percent);
    }

    @Test
    void samplesTheDriversRunningAndPausedVmsUpToTheLimit(@TempDir Path stateDir) {
        MutableClock clock = new MutableClock(T0);
        FakeDriver driver = new FakeDriver(
                new FakeDriverSettings(Duration.ZERO, 0, FakeDriverSettings.DEFAULT_CAPACITY),
                stateDir,
                clock,
                new SplittableRandom(1));
        for (int i = 1; i <= 3; i++) {
            driver.create(Vms.running(Vms.id(i)));
        }
        driver.start(Vms.id(1));
        driver.start(Vms.id(2));
        driver.pause(Vms.id(2));

        assertThat(new VmMetricsSampler(driver, 10).sample())
                .extracting(VmStats::vmId)
                .containsExactlyInAnyOrder(Vms.id(1), Vms.id(2));
        assertThat(new VmMetricsSampler(driver, 1).sample()).hasSize(1);
    }

    @Test
    void theHeartbeatGetsTheLastRoundWhileTheNextRunsInTheBackground(@TempDir Path stateDir) {
        FakeDriver driver = new FakeDriver(
                new FakeDriverSettings(Duration.ZERO, 0, FakeDriverSettings.DEFAULT_CAPACITY),
                stateDir,
                new MutableClock(T0),
                new SplittableRandom(1));
        driver.create(Vms.running(VM));
        driver.start(VM);
        VmMetricsSampler sampler = new VmMetricsSampler(driver, 10);

        sampler.latestAndRefresh(); // starts the first round; what it returns depends on how fast that round is
        org.awaitility.Awaitility.await()
                .untilAsserted(() -> assertThat(sampler.latestAndRefresh())
                        .extracting(VmStats::vmId)
                        .containsExactly(VM));
    }
}
