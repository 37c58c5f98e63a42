package io.vireo.agent.reconcile;

import static io.vireo.agent.testing.Waits.await;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.fake.FakeDriverSettings;
import io.vireo.agent.fake.FakeMigrationFabric;
import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.LiveMigration;
import io.vireo.agent.testing.RecordingDriver;
import io.vireo.agent.testing.ReportCollector;
import io.vireo.agent.testing.Vms;
import io.vireo.common.testing.MutableClock;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VmReconcilerTest {
    private static final UUID VM = Vms.id(1);
    private static final ReconcilerSettings FAST = new ReconcilerSettings(
            8,
            Duration.ZERO,
            Duration.ofMillis(100),
            Duration.ofMillis(10),
            Duration.ofMillis(10),
            Duration.ofMillis(40),
            1000,
            Duration.ofSeconds(5),
            ReconcilerSettings.DEFAULT_FULL_REPORT_INTERVAL);

    private final MutableClock driverClock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));
    private final FakeMigrationFabric fabric = new FakeMigrationFabric();
    private Path stateDir;
    private Host host;

    @BeforeEach
    void createHost(@TempDir Path directory) {
        stateDir = directory;
        host = new Host(Duration.ZERO);
    }

    /** One agent process: a fake driver, a recording wrapper, a reconciler and what it reported. */
    private final class Host implements AutoCloseable {
        final FakeDriver fake;
        final RecordingDriver driver;
        final VmReconciler reconciler;
        final RunningReconciler running;
        final ReportCollector reports = new ReportCollector();

        Host(Duration bootDelay) {
            fake = new FakeDriver(
                    new FakeDriverSettings(bootDelay, 0, FakeDriverSettings.DEFAULT_CAPACITY),
                    stateDir,
                    driverClock,
                    new SplittableRandom(1),
                    fabric);
            driver = new RecordingDriver(fake);
            running = new RunningReconciler(driver, stateDir, FAST, Clock.systemUTC(), new SplittableRandom(2));
            reconciler = running.reconciler;
        }

        Host start() {
            running.start(reports);
            return this;
        }

        /**
         * Waits until every event sent so far is handled and the operations it started are done, then for a full
         * report of the settled state.
         */
        void settle() {
            fullReport();
            await().until(reconciler::idle);
            fullReport();
        }

        private void fullReport() {
            int before = reports.fullReports().size();
            reconciler.requestFullReport();
            await().until(() -> reports.fullReports().size() > before);
        }

        ObservedVm awaitPower(UUID vmId, ObservedPower power) {
            await().until(() -> reports.power(vmId) == power);
            return reports.vm(vmId).orElseThrow();
        }

        @Override
        public void close() {
            running.close();
            fake.close();
        }
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    /** Closes the current host (an agent process ending) and makes a new one on the same state directory. */
    private Host restart(Duration bootDelay) {
        host.close();
        host = new Host(bootDelay);
        return host;
    }

    private static DesiredVm vm(DesiredState state, long generation, long epoch, long rebootCount) {
        return Vms.desired(VM, state, generation, epoch, rebootCount);
    }

    static Stream<Arguments> transitions() {
        return Stream.of(
                transition(
                        "absent to running",
                        null,
                        vm(DesiredState.RUNNING, 1, 1, 0),
                        ObservedPower.RUNNING,
                        1,
                        0,
                        Map.of("create", 1, "start", 1)),
                transition(
                        "absent to stopped",
                        null,
                        vm(DesiredState.STOPPED, 1, 1, 0),
                        ObservedPower.STOPPED,
                        1,
                        0,
                        Map.of("create", 1, "start", 0)),
                transition(
                        "running to stopped",
                        vm(DesiredState.RUNNING, 1, 1, 0),
                        vm(DesiredState.STOPPED, 2, 1, 0),
                        ObservedPower.STOPPED,
                        2,
                        0,
                        Map.of("stop", 1)),
                transition(
                        "stopped to running",
                        vm(DesiredState.STOPPED, 1, 1, 0),
                        vm(DesiredState.RUNNING, 2, 1, 0),
                        ObservedPower.RUNNING,
                        2,
                        0,
                        Map.of("start", 1)),
                transition(
                        "reboot",
                        vm(DesiredState.RUNNING, 1, 1, 0),
                        vm(DesiredState.RUNNING, 2, 1, 1),
                        ObservedPower.RUNNING,
                        2,
                        1,
                        Map.of("reboot", 1, "start", 1)),
                transition(
                        "deleted",
                        vm(DesiredState.RUNNING, 1, 1, 0),
                        vm(DesiredState.DELETED, 2, 1, 0),
                        ObservedPower.ABSENT,
                        2,
                        0,
                        Map.of("delete", 1)),
                transition(
                        "running to paused",
                        vm(DesiredState.RUNNING, 1, 1, 0),
                        vm(DesiredState.PAUSED, 2, 1, 0),
                        ObservedPower.PAUSED,
                        2,
                        0,
                        Map.of("pause", 1, "start", 1)),
                fromPaused(
                        "paused to running",
                        vm(DesiredState.RUNNING, 3, 1, 0),
                        ObservedPower.RUNNING,
                        3,
                        0,
                        Map.of("resume", 1, "start", 1)),
                fromPaused(
                        "paused to stopped",
                        vm(DesiredState.STOPPED, 3, 1, 0),
                        ObservedPower.STOPPED,
                        3,
                        0,
                        Map.of("stop", 1, "resume", 0)),
                fromPaused(
                        "paused to deleted",
                        vm(DesiredState.DELETED, 3, 1, 0),
                        ObservedPower.ABSENT,
                        3,
                        0,
                        Map.of("delete", 1)),
                transition(
                        "stopped to paused: defined, not booted",
                        vm(DesiredState.STOPPED, 1, 1, 0),
                        vm(DesiredState.PAUSED, 2, 1, 0),
                        ObservedPower.STOPPED,
                        2,
                        0,
                        Map.of("start", 0, "pause", 0)),
                transition(
                        "stale epoch ignored",
                        vm(DesiredState.RUNNING, 1, 5, 0),
                        vm(DesiredState.STOPPED, 2, 4, 0),
                        ObservedPower.RUNNING,
                        1,
                        0,
                        Map.of("stop", 0)),
                transition(
                        "new epoch accepted",
                        vm(DesiredState.RUNNING, 1, 5, 0),
                        vm(DesiredState.STOPPED, 2, 6, 0),
                        ObservedPower.STOPPED,
                        2,
                        0,
                        Map.of("stop", 1)));
    }

    private static Arguments transition(
            String name,
            @Nullable DesiredVm first,
            DesiredVm then,
            ObservedPower power,
            long generation,
            long rebootCount,
            Map<String, Integer> calls) {
        return Arguments.of(
                name, first == null ? List.of() : List.of(first), then, power, generation, rebootCount, calls);
    }

    /** A transition from a VM that was started, then paused. */
    private static Arguments fromPaused(
            String name,
            DesiredVm then,
            ObservedPower power,
            long generation,
            long rebootCount,
            Map<String, Integer> calls) {
        List<DesiredVm> before = List.of(vm(DesiredState.RUNNING, 1, 1, 0), vm(DesiredState.PAUSED, 2, 1, 0));
        return Arguments.of(name, before, then, power, generation, rebootCount, calls);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transitions")
    void convergesOnTheDesiredEntry(
            String name,
            List<DesiredVm> before,
            DesiredVm then,
            ObservedPower power,
            long generation,
            long rebootCount,
            Map<String, Integer> calls) {
        host.start();
        for (DesiredVm first : before) {
            host.reconciler.replaceDesired(List.of(first));
            host.settle();
        }

        host.reconciler.applyDelta(List.of(then), List.of());
        host.settle();

        ObservedVm observed = host.reports.vm(VM).orElseThrow();
        assertThat(observed.power()).isEqualTo(power);
        assertThat(observed.generation()).isEqualTo(generation);
        assertThat(observed.rebootCount()).isEqualTo(rebootCount);
        calls.forEach((operation, count) ->
                assertThat(host.driver.calls(operation)).as(operation).isEqualTo(count));
    }

    static Stream<Arguments> removals() {
        return Stream.of(
                Arguments.of("delta removal", (Consumer<VmReconciler>) r -> r.applyDelta(List.of(), List.of(VM))),
                Arguments.of("left out of a full set", (Consumer<VmReconciler>) r -> r.replaceDesired(List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("removals")
    void removedVmIsDeletedAndForgotten(String name, Consumer<VmReconciler> removal) {
        host.start();
        host.reconciler.replaceDesired(List.of(Vms.running(VM)));
        host.awaitPower(VM, ObservedPower.RUNNING);

        removal.accept(host.reconciler);
        host.settle();

        assertThat(host.reports.power(VM)).isEqualTo(ObservedPower.ABSENT);
        assertThat(host.fake.list()).isEmpty();
        assertThat(host.reports.fullReports().getLast().vms()).isEmpty();
        assertThat(stateDir.resolve("vms").resolve(VM + ".json")).doesNotExist();
    }

    @Test
    void aVmThatLeftByMigrationIsNeverStartedHereAgainByAStaleDesiredEntry() {
        DesiredVm placed = vm(DesiredState.RUNNING, 1, 3, 0);
        host.start();
        host.reconciler.replaceDesired(List.of(placed));
        host.awaitPower(VM, ObservedPower.RUNNING);

        host.reconciler.departed(VM, 3);
        host.reconciler.applyDelta(List.of(), List.of(VM));
        await().until(() -> host.fake.find(VM).isEmpty());
        host.reconciler.applyDelta(List.of(placed), List.of()); // sent before the move, delivered after it
        host.settle();

        assertThat(host.fake.find(VM)).isEmpty();
        assertThat(host.driver.calls("create")).isEqualTo(1);

        restart(Duration.ZERO).start();
        host.reconciler.replaceDesired(List.of(placed));
        host.settle();
        assertThat(host.fake.find(VM)).as("the departure is on disk").isEmpty();
        assertThat(host.driver.calls("create")).isZero();

        host.reconciler.replaceDesired(List.of(vm(DesiredState.RUNNING, 1, 5, 0)));
        host.awaitPower(VM, ObservedPower.RUNNING);
        assertThat(stateDir.resolve(VmReconciler.DEPARTED_DIRECTORY).resolve(VM + ".json"))
                .as("placed here again, later: the departure is forgotten")
                .doesNotExist();
    }

    @Test
    void aVmSentAwayAndLostIsCreatedAgainWhenPlacedHereAtALaterEpoch(@TempDir Path destinationDir) {
        DesiredVm placed = vm(DesiredState.RUNNING, 1, 3, 0);
        host.start();
        host.reconciler.replaceDesired(List.of(placed));
        host.awaitPower(VM, ObservedPower.RUNNING);
        FakeDriver destination = new FakeDriver(
                new FakeDriverSettings(Duration.ZERO, 0, FakeDriverSettings.DEFAULT_CAPACITY),
                destinationDir,
                driverClock,
                new SplittableRandom(3),
                fabric);
        host.reconciler.departed(VM, 3);
        host.fake.migrateOut(
                VM, destination.prepareIncoming(placed, Vms.id(102)).endpoint(), Vms.id(102));
        destination.delete(VM); // lost with its destination; the server learns it and renews the VM's epoch here
        host.reconciler.requestFullReport();
        host.settle();
        assertThat(host.fake.find(VM).map(DriverVm::message)).contains(LiveMigration.MIGRATED_MESSAGE);

        restart(Duration.ZERO).start();
        host.reconciler.replaceDesired(List.of(placed));
        host.settle();
        assertThat(host.driver.calls("delete"))
                .as("at the epoch it left at, the marker stays")
                .isZero();

        host.reconciler.replaceDesired(List.of(vm(DesiredState.RUNNING, 1, 4, 0)));

        host.awaitPower(VM, ObservedPower.RUNNING);
        assertThat(host.driver.calls("delete")).as("the marker goes first").isEqualTo(1);
        assertThat(host.driver.calls("create")).isEqualTo(1);
    }

    @Test
    void aFencedHostStartsNoGuestUntilItIsUnfencedAfterRegisteringAgain() {
        DesiredVm placed = vm(DesiredState.RUNNING, 1, 3, 0);
        host.start();
        host.reconciler.replaceDesired(List.of(placed));
        host.awaitPower(VM, ObservedPower.RUNNING);

        VmReconciler.fence(stateDir, Instant.parse("2026-11-02T10:00:00Z"));
        host.fake.killAll(); // what the guard does after the marker
        host.reconciler.requestFullReport();
        host.awaitPower(VM, ObservedPower.STOPPED);
        restart(Duration.ZERO).start(); // and the agent process it killed starts again
        host.reconciler.replaceDesired(List.of(placed));
        host.settle();
        assertThat(VmReconciler.fenced(stateDir)).isTrue();
        assertThat(host.driver.calls("start")).isZero();
        assertThat(host.reports.power(VM)).isEqualTo(ObservedPower.STOPPED);

        host.reconciler.unfence();

        host.awaitPower(VM, ObservedPower.RUNNING);
        assertThat(VmReconciler.fenced(stateDir)).isFalse();
    }

    @Test
    void aDeletionOfTheEpochAVmLeftAtIsTakenSinceDeletingNeverRunsAGuest() {
        DesiredVm placed = vm(DesiredState.RUNNING, 1, 3, 0);
        host.start();
        host.reconciler.replaceDesired(List.of(placed));
        host.awaitPower(VM, ObservedPower.RUNNING);
        host.reconciler.departed(VM, 3); // sent away; the migration then timed out at the server, which keeps it here

        host.reconciler.applyDelta(List.of(vm(DesiredState.DELETED, 2, 3, 0)), List.of());

        await().until(() -> host.fake.find(VM).isEmpty());
        host.settle();
        assertThat(host.reports.vm(VM)).map(ObservedVm::power).contains(ObservedPower.ABSENT);
    }

    @Test
    void aVmThatArrivedByMigrationShowsInFullReportsBeforeItsDesiredEntryComes() {
        host.start();
        host.fake.create(Vms.running(VM)); // the guest arrives behind the reconciler's back, as a migration's does
        host.fake.start(VM);
        Instant startedAt = requireNonNull(host.fake.find(VM).orElseThrow().startedAt());

        host.reconciler.arrived(VM, startedAt);
        host.settle();

        ObservedVm reported = host.reports.fullReports().getLast().vms().stream()
                .filter(vm -> vm.vmId().equals(VM))
                .findFirst()
                .orElseThrow();
        assertThat(reported.power()).isEqualTo(ObservedPower.RUNNING);
        assertThat(reported.epoch()).as("no placement known here yet").isZero();
        assertThat(reported.startedAt()).isEqualTo(startedAt);
        assertThat(host.driver.calls("create")).as("an arrival is not acted on").isZero();
        assertThat(host.driver.calls("start")).isZero();
    }

    @Test
    void showsCreatingUntilTheGuestHasBooted() {
        restart(Duration.ofSeconds(30)).start();
        host.reconciler.replaceDesired(List.of(Vms.running(VM)));
        await().until(() -> host.fake.find(VM).map(DriverVm::power).orElse(null) == ObservedPower.CREATING);
        host.awaitPower(VM, ObservedPower.CREATING);

        driverClock.advance(Duration.ofSeconds(30));

        ObservedVm running = host.awaitPower(VM, ObservedPower.RUNNING);
        assertThat(running.startedAt()).isEqualTo(Instant.parse("2026-11-02T10:00:00Z"));
    }

    @Test
    void reportsAFailedOperationAndRetriesIt() {
        host.start();
        host.driver.failNext("start", 2);

        host.reconciler.replaceDesired(List.of(Vms.running(VM)));

        host.awaitPower(VM, ObservedPower.RUNNING);
        assertThat(host.reports.reports())
                .flatMap(ObservedReport::vms)
                .filteredOn(vm -> vm.power() == ObservedPower.FAILED)
                .first()
                .satisfies(vm -> {
                    assertThat(vm.message()).isEqualTo("injected test failure: start");
                    assertThat(vm.generation()).isEqualTo(1);
                });
        assertThat(host.driver.calls("start")).isEqualTo(3);
    }

    @Test
    void restartsAGuestThatPoweredItselfOff() {
        host.start();
        host.reconciler.replaceDesired(List.of(Vms.running(VM)));
        Instant firstBoot =
                requireNonNull(host.awaitPower(VM, ObservedPower.RUNNING).startedAt());
        driverClock.advance(Duration.ofMinutes(1));

        host.fake.stop(VM, Duration.ZERO);

        await().until(() -> host.driver.calls("start") == 2);
        await().untilAsserted(() -> assertThat(host.reports.vm(VM).orElseThrow().startedAt())
                .isEqualTo(firstBoot.plus(Duration.ofMinutes(1))));
        assertThat(host.reports.power(VM)).isEqualTo(ObservedPower.RUNNING);
    }

    @Test
    void aRestartedReconcilerLeavesAPausedVmPaused() {
        DesiredVm paused = Vms.desired(VM, DesiredState.PAUSED, 2, 1, 0);
        host.start();
        host.reconciler.replaceDesired(List.of(Vms.running(VM)));
        host.awaitPower(VM, ObservedPower.RUNNING);
        host.reconciler.replaceDesired(List.of(paused));
        host.awaitPower(VM, ObservedPower.PAUSED);
        host.settle();

        restart(Duration.ZERO).start();
        host.reconciler.replaceDesired(List.of(paused));
        host.settle();

        assertThat(host.reports.power(VM)).isEqualTo(ObservedPower.PAUSED);
        for (String operation : List.of("create", "start", "resume", "pause", "reboot", "stop")) {
            assertThat(host.driver.calls(operation)).as(operation).isZero();
        }
    }

    @Test
    void aPausedVmWhoseProcessEndedIsNotStartedAgain() {
        DesiredVm paused = Vms.desired(VM, DesiredState.PAUSED, 2, 1, 0);
        host.start();
        host.reconciler.replaceDesired(List.of(Vms.running(VM)));
        host.awaitPower(VM, ObservedPower.RUNNING);
        host.reconciler.replaceDesired(List.of(paused));
        host.awaitPower(VM, ObservedPower.PAUSED);

        host.fake.stop(VM, Duration.ZERO);
        host.awaitPower(VM, ObservedPower.STOPPED);
        host.settle();

        assertThat(host.driver.calls("start")).isEqualTo(1);
        assertThat(host.reports.power(VM)).isEqualTo(ObservedPower.STOPPED);
    }

    @Test
    void leavesForeignVmsAloneEvenWhenAFullSetLeavesThemOut() {
        UUID foreign = Vms.id(99);
        host.fake.create(Vms.running(foreign));
        host.fake.start(foreign);
        host.start();

        host.reconciler.replaceDesired(List.of(Vms.running(VM)));
        host.awaitPower(VM, ObservedPower.RUNNING);
        host.settle();

        assertThat(host.driver.calls("delete")).isZero();
        assertThat(host.fake.find(foreign)).isPresent();
        assertThat(host.reports.power(foreign)).isEqualTo(ObservedPower.RUNNING);
    }

    @Test
    void aRestartedReconcilerAdoptsTheRunningVmsWithoutRecreatingOrRebootingThem() {
        List<DesiredVm> desired = List.of(
                Vms.desired(Vms.id(1), DesiredState.RUNNING, 3, 2, 1),
                Vms.desired(Vms.id(2), DesiredState.RUNNING, 1, 1, 0),
                Vms.desired(Vms.id(3), DesiredState.STOPPED, 1, 1, 0));
        host.start();
        host.reconciler.replaceDesired(List.of(Vms.running(Vms.id(1)), desired.get(1), desired.get(2)));
        host.settle();
        host.reconciler.replaceDesired(desired);
        host.settle();
        List<ObservedVm> before = host.reports.fullReports().getLast().vms();
        driverClock.advance(Duration.ofHours(1));

        restart(Duration.ZERO).start();
        host.settle();
        assertThat(host.reports.fullReports().getLast().vms()).containsExactlyInAnyOrderElementsOf(before);
        host.reconciler.replaceDesired(desired);
        host.settle();

        assertThat(host.reports.fullReports().getLast().vms()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(before)
                .filteredOn(vm -> vm.vmId().equals(Vms.id(1)))
                .singleElement()
                .satisfies(vm -> assertThat(vm.rebootCount()).isEqualTo(1));
        for (String operation : List.of("create", "start", "reboot", "stop", "delete")) {
            assertThat(host.driver.calls(operation)).as(operation).isZero();
        }
    }

    @Test
    void aRestartedReconcilerWaitsForTheFullSetThenDeletesOnlyWhatItManaged() {
        host.start();
        host.reconciler.replaceDesired(List.of(Vms.running(Vms.id(1)), Vms.running(Vms.id(2))));
        host.settle();
        restart(Duration.ZERO);
        UUID foreign = Vms.id(99);
        host.fake.create(Vms.running(foreign));

        host.start().settle();
        assertThat(host.fake.list()).hasSize(3);
        host.reconciler.replaceDesired(List.of(Vms.running(Vms.id(1))));
        host.settle();

        assertThat(host.fake.list()).extracting(vm -> vm.vmId()).containsExactlyInAnyOrder(Vms.id(1), foreign);
        assertThat(host.driver.calls("delete")).isEqualTo(1);
    }

    @Test
    void convergesManyVmsWithBoundedConcurrency() {
        List<DesiredVm> desired =
                IntStream.range(0, 200).mapToObj(i -> Vms.running(Vms.id(i))).toList();
        host.start();

        host.reconciler.replaceDesired(desired);
        host.settle();

        assertThat(host.fake.list()).hasSize(200).allMatch(vm -> vm.power() == ObservedPower.RUNNING);
        assertThat(host.reports.fullReports().getLast().vms())
                .hasSize(200)
                .allMatch(vm -> vm.power() == ObservedPower.RUNNING);
        assertThat(host.reconciler.allocation().runningVms()).isEqualTo(200);
        assertThat(host.reconciler.allocation().active().memoryMib()).isEqualTo(200 * Vms.SMALL.memoryMib());
        assertThat(host.driver.maxConcurrentCalls()).isBetween(1, FAST.maxConcurrentOperations());
    }
}
