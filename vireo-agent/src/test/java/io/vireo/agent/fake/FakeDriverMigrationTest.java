package io.vireo.agent.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.agent.hypervisor.IncomingMigration;
import io.vireo.agent.hypervisor.MigrationEndpoint;
import io.vireo.agent.hypervisor.MigrationStats;
import io.vireo.agent.testing.Vms;
import io.vireo.common.testing.MutableClock;
import io.vireo.model.ObservedPower;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeDriverMigrationTest {
    private static final UUID VM = Vms.id(1);
    private static final UUID SOURCE_HOST = Vms.id(101);
    private static final UUID DESTINATION_HOST = Vms.id(102);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final FakeMigrationFabric fabric = new FakeMigrationFabric();

    @TempDir
    Path directory;

    private FakeDriver driver(String host, double failureRate) {
        return new FakeDriver(
                new FakeDriverSettings(Duration.ZERO, failureRate, FakeDriverSettings.DEFAULT_CAPACITY),
                directory.resolve(host),
                clock,
                new SplittableRandom(7),
                fabric);
    }

    private static DriverVm vm(FakeDriver driver, UUID vmId) {
        return driver.find(vmId).orElseThrow();
    }

    @Test
    void aRunningVmMovesWithItsGuestAndNeverRunsOnBothHosts() {
        FakeDriver source = driver("a", 0);
        FakeDriver destination = driver("b", 0);
        source.create(Vms.running(VM));
        source.start(VM);
        Instant startedAt = vm(source, VM).startedAt();

        IncomingMigration ready = destination.prepareIncoming(Vms.running(VM), SOURCE_HOST);
        assertThat(vm(destination, VM).power()).isEqualTo(ObservedPower.CREATING);
        assertThat(vm(destination, VM).message()).isEqualTo(FakeDriver.INCOMING_MESSAGE);
        assertThat(destination.hasGuest(VM))
                .as("waiting to arrive is not running")
                .isFalse();
        assertThat(ready.running()).isNotDone();

        clock.advance(Duration.ofSeconds(3));
        MigrationStats stats = source.migrateOut(VM, ready.endpoint(), DESTINATION_HOST);

        assertThat(ready.running()).isCompletedWithValue(clock.instant());
        assertThat(vm(destination, VM).power()).isEqualTo(ObservedPower.RUNNING);
        assertThat(vm(destination, VM).startedAt()).as("the same guest goes on").isEqualTo(startedAt);
        assertThat(destination.hasGuest(VM)).isTrue();
        assertThat(vm(source, VM).power()).isEqualTo(ObservedPower.CREATING);
        assertThat(vm(source, VM).message()).isEqualTo(FakeDriver.MIGRATED_MESSAGE);
        assertThat(source.hasGuest(VM)).isFalse();
        assertThat(stats.transferredBytes()).isEqualTo(Vms.SMALL.memoryMib() * 1024 * 1024);
        assertThat(fabric.listening()).isZero();
    }

    @Test
    void theMarkerSurvivesARestartAndRefusesARecreateUntilDeleted() {
        FakeDriver source = driver("a", 0);
        source.create(Vms.running(VM));
        source.start(VM);
        source.migrateOut(
                VM, driver("b", 0).prepareIncoming(Vms.running(VM), SOURCE_HOST).endpoint(), DESTINATION_HOST);

        FakeDriver restarted = driver("a", 0);
        assertThat(vm(restarted, VM).message()).isEqualTo(FakeDriver.MIGRATED_MESSAGE);
        assertThatThrownBy(() -> restarted.create(Vms.running(VM)))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining(FakeDriver.MIGRATED_MESSAGE);
        assertThatThrownBy(() -> restarted.start(VM)).isInstanceOf(HypervisorException.class);

        restarted.delete(VM);
        assertThat(restarted.find(VM)).isEmpty();
        restarted.create(Vms.running(VM));
        assertThat(vm(restarted, VM).power()).isEqualTo(ObservedPower.STOPPED);
    }

    @Test
    void aFailedMigrationLeavesTheVmRunningOnTheSourceAndTheDestinationWaiting() {
        FakeDriver destination = driver("b", 0);
        FakeDriver reliable = driver("a", 0);
        reliable.create(Vms.running(VM));
        reliable.start(VM);
        IncomingMigration ready = destination.prepareIncoming(Vms.running(VM), SOURCE_HOST);

        FakeDriver flaky = driver("a", 1); // the same host's VMs, every operation failing
        assertThatThrownBy(() -> flaky.migrateOut(VM, ready.endpoint(), DESTINATION_HOST))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("injected failure");
        assertThat(flaky.hasGuest(VM)).isTrue();
        assertThat(vm(flaky, VM).message()).isEmpty();
        assertThat(ready.running()).isNotDone();

        assertThat(destination.discardIncoming(VM)).as("it was waiting here").isTrue();
        assertThat(destination.discardIncoming(VM))
                .as("nothing left to discard")
                .isFalse();
        assertThat(destination.find(VM)).isEmpty();
        assertThat(ready.running()).isCompletedExceptionally();
        assertThatThrownBy(() -> reliable.migrateOut(VM, ready.endpoint(), DESTINATION_HOST))
                .as("nobody waits on a discarded destination's port")
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("nobody waits");
        assertThat(reliable.hasGuest(VM)).isTrue();
    }

    @Test
    void aDestinationThatClosesDiscardsWhatItWaitedFor() {
        FakeDriver source = driver("a", 0);
        source.create(Vms.running(VM));
        source.start(VM);
        FakeDriver destination = driver("b", 0);
        IncomingMigration ready = destination.prepareIncoming(Vms.running(VM), SOURCE_HOST);

        destination.close();

        assertThat(ready.running()).isCompletedExceptionally();
        assertThatThrownBy(() -> source.migrateOut(VM, ready.endpoint(), DESTINATION_HOST))
                .isInstanceOf(HypervisorException.class);
        assertThat(source.hasGuest(VM)).isTrue();
    }

    @Test
    void nothingIsPreparedTwiceNorForAVmThatIsHere() {
        FakeDriver destination = driver("b", 0);
        destination.prepareIncoming(Vms.running(VM), SOURCE_HOST);
        assertThatThrownBy(() -> destination.prepareIncoming(Vms.running(VM), SOURCE_HOST))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("exists on this host already");
        UUID other = Vms.id(2);
        destination.create(Vms.running(other));
        assertThatThrownBy(() -> destination.prepareIncoming(Vms.running(other), SOURCE_HOST))
                .isInstanceOf(HypervisorException.class);
        assertThat(destination.list()).extracting(DriverVm::vmId).containsExactlyInAnyOrder(VM, other);
    }

    @Test
    void aSourceInAnotherProcessFindsNobodyListening() {
        FakeDriver source = driver("a", 0);
        source.create(Vms.running(VM));
        source.start(VM);
        FakeDriver elsewhere =
                new FakeDriver(FakeDriverSettings.DEFAULTS, directory.resolve("c"), clock, new SplittableRandom(1));
        IncomingMigration ready = elsewhere.prepareIncoming(Vms.running(VM), SOURCE_HOST);

        assertThatThrownBy(() -> source.migrateOut(VM, ready.endpoint(), DESTINATION_HOST))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("nobody waits");
        assertThatThrownBy(() -> source.migrateOut(
                        VM, new MigrationEndpoint("10.0.0.1", ready.endpoint().migrationPort(), 0), DESTINATION_HOST))
                .isInstanceOf(HypervisorException.class);
    }
}
