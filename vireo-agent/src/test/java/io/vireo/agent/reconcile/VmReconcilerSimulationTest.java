package io.vireo.agent.reconcile;

import static io.vireo.agent.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.fake.FakeDriverSettings;
import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.testing.RecordingDriver;
import io.vireo.agent.testing.ReportCollector;
import io.vireo.agent.testing.Vms;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded scenarios: a random stream of deltas, removals, stale entries and full sets over a driver that fails a fifth
 * of its boots, then a final full set. Whatever the order and the failures, the reconciler must converge on the last
 * desired state, never run two operations on one VM at once, and never exceed its concurrency limit. The seed fixes
 * the scenario (thread timing still varies) and is named in every assertion. Stale entries must leave no trace.
 */
class VmReconcilerSimulationTest {
    private static final int VMS = 24;
    private static final int STEPS = 80;
    private static final int MAX_CONCURRENT_OPERATIONS = 4;
    /** Stale entries carry generations from here up, so a report that shows one proves it was applied. */
    private static final long STALE_GENERATION = 1_000;

    private static final ReconcilerSettings SETTINGS = new ReconcilerSettings(
            MAX_CONCURRENT_OPERATIONS,
            Duration.ZERO,
            Duration.ofMillis(50),
            Duration.ofMillis(5),
            Duration.ofMillis(5),
            Duration.ofMillis(20),
            1000,
            Duration.ofSeconds(5),
            ReconcilerSettings.DEFAULT_FULL_REPORT_INTERVAL);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void convergesOnTheLastDesiredStateWhateverTheOrderAndTheFailures(long seed, @TempDir Path stateDir) {
        SplittableRandom random = new SplittableRandom(seed);
        FakeDriver fake = new FakeDriver(
                new FakeDriverSettings(Duration.ZERO, 0.2, FakeDriverSettings.DEFAULT_CAPACITY),
                stateDir,
                Clock.systemUTC(),
                new SplittableRandom(seed));
        RecordingDriver driver = new RecordingDriver(fake);
        ReportCollector reports = new ReportCollector();
        Map<UUID, DesiredVm> desired = new HashMap<>();
        try (RunningReconciler running =
                new RunningReconciler(driver, stateDir, SETTINGS, Clock.systemUTC(), new SplittableRandom(seed + 1))) {
            VmReconciler reconciler = running.start(reports).reconciler;
            for (int step = 0; step < STEPS; step++) {
                step(reconciler, desired, random);
                if (random.nextInt(3) == 0) {
                    // Let the loop act on this intermediate state, so that every step can matter.
                    settle(reconciler, reports);
                }
            }
            reconciler.replaceDesired(List.copyOf(desired.values()));

            await().untilAsserted(() -> {
                for (int i = 0; i < VMS; i++) {
                    assertConverged(seed, Vms.id(i), desired.get(Vms.id(i)), fake, reports);
                }
            });
            assertThat(reports.reports())
                    .flatMap(ObservedReport::vms)
                    .as("seed %d: no report reflects a stale entry", seed)
                    .allMatch(vm -> vm.generation() < STALE_GENERATION && vm.epoch() != 1);
            assertThat(driver.overlappingCalls()).as("seed %d", seed).isZero();
            assertThat(driver.maxConcurrentCalls()).as("seed %d", seed).isBetween(1, MAX_CONCURRENT_OPERATIONS);
        }
    }

    private static void settle(VmReconciler reconciler, ReportCollector reports) {
        int before = reports.fullReports().size();
        reconciler.requestFullReport();
        await().until(() -> reports.fullReports().size() > before);
        await().until(reconciler::idle);
    }

    /** One random server action; {@code desired} is the server's model, updated as the server would. */
    private static void step(VmReconciler reconciler, Map<UUID, DesiredVm> desired, SplittableRandom random) {
        UUID vmId = Vms.id(random.nextInt(VMS));
        DesiredVm current = desired.get(vmId);
        int choice = random.nextInt(10);
        if (choice == 0) {
            reconciler.replaceDesired(List.copyOf(desired.values()));
        } else if (choice == 1 && current != null) {
            desired.remove(vmId);
            reconciler.applyDelta(List.of(), List.of(vmId));
        } else if (choice == 2 && current != null) {
            // An entry from an older placement: must change nothing.
            DesiredVm stale = Vms.desired(vmId, DesiredState.DELETED, STALE_GENERATION + current.generation(), 1, 0);
            reconciler.applyDelta(List.of(stale), List.of());
        } else {
            DesiredVm next = next(vmId, current, random);
            desired.put(vmId, next);
            reconciler.applyDelta(List.of(next), List.of());
        }
    }

    private static DesiredVm next(UUID vmId, @Nullable DesiredVm current, SplittableRandom random) {
        int draw = random.nextInt(10);
        DesiredState state = draw < 5 ? DesiredState.RUNNING : draw < 8 ? DesiredState.STOPPED : DesiredState.DELETED;
        long generation = current == null ? 1 : current.generation() + 1;
        long rebootCount = current == null ? 0 : current.rebootCount() + (random.nextInt(4) == 0 ? 1 : 0);
        return Vms.desired(vmId, state, generation, 2, rebootCount);
    }

    private static void assertConverged(
            long seed, UUID vmId, @Nullable DesiredVm desired, FakeDriver fake, ReportCollector reports) {
        Optional<ObservedPower> onDriver = fake.find(vmId).map(DriverVm::power);
        Optional<ObservedVm> reported = reports.vm(vmId);
        String context = "seed " + seed + ", VM " + vmId + ", desired " + desired;
        if (desired == null || desired.desiredState() == DesiredState.DELETED) {
            assertThat(onDriver).as(context).isEmpty();
            assertThat(reports.power(vmId)).as(context).isEqualTo(ObservedPower.ABSENT);
            return;
        }
        ObservedPower expected =
                desired.desiredState() == DesiredState.RUNNING ? ObservedPower.RUNNING : ObservedPower.STOPPED;
        assertThat(onDriver).as(context).contains(expected);
        assertThat(reported).as(context).isPresent();
        ObservedVm observed = reported.orElseThrow();
        assertThat(observed.power()).as(context).isEqualTo(expected);
        assertThat(observed.generation()).as(context).isEqualTo(desired.generation());
        assertThat(observed.rebootCount()).as(context).isEqualTo(desired.rebootCount());
        assertThat(observed.epoch()).as(context).isEqualTo(desired.epoch());
    }
}
