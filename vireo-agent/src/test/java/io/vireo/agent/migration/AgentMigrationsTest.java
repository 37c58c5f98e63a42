package io.vireo.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.fake.FakeDriverSettings;
import io.vireo.agent.fake.FakeMigrationFabric;
import io.vireo.agent.hypervisor.MigrationEndpoint;
import io.vireo.agent.testing.Vms;
import io.vireo.common.logging.Correlation;
import io.vireo.common.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a destination answers the server's abort: whatever it knows or finds, it says whether the VM runs here (RESUMED)
 * or can no longer arrive (FAILED), since the server may then let the source run it again.
 */
class AgentMigrationsTest {
    private static final UUID VM = Vms.id(1);
    private static final UUID MIGRATION = Vms.id(201);
    private static final UUID SOURCE_HOST = Vms.id(101);
    private static final UUID DESTINATION_HOST = Vms.id(102);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final FakeMigrationFabric fabric = new FakeMigrationFabric();
    private final List<MigrationUpdate> updates = new ArrayList<>();
    private final List<String> moves = new ArrayList<>();

    @TempDir
    Path directory;

    private FakeDriver driver(String host) {
        return new FakeDriver(
                new FakeDriverSettings(Duration.ZERO, 0, FakeDriverSettings.DEFAULT_CAPACITY),
                directory.resolve(host),
                clock,
                new SplittableRandom(7),
                fabric);
    }

    private AgentMigrations agent(FakeDriver driver) {
        return new AgentMigrations(
                driver,
                Runnable::run,
                new AgentMigrations.Moves() {
                    @Override
                    public void departed(UUID vmId, long epoch) {
                        moves.add("departed " + epoch + " under " + Correlation.current());
                    }

                    @Override
                    public void stayed(UUID vmId, long epoch) {
                        moves.add("stayed " + epoch);
                    }

                    @Override
                    public void arrived(UUID vmId, Instant startedAt) {
                        moves.add("arrived");
                    }
                },
                updates::add);
    }

    private MigrationUpdate last() {
        return updates.getLast();
    }

    private static MigrationCommand.Abort abort() {
        return new MigrationCommand.Abort(MIGRATION, VM, "no end within 60 s");
    }

    @Test
    void anAbortWhileTheVmWaitsRemovesItAndSaysItCanNoLongerArrive() {
        FakeDriver destination = driver("b");
        AgentMigrations agent = agent(destination);
        agent.handle(new MigrationCommand.Prepare(MIGRATION, Vms.running(VM), SOURCE_HOST));
        assertThat(last().phase()).isEqualTo(MigrationUpdate.Phase.PREPARED);

        agent.handle(abort());

        assertThat(last().phase()).isEqualTo(MigrationUpdate.Phase.FAILED);
        assertThat(destination.find(VM)).isEmpty();

        int answered = updates.size();
        agent.handle(abort());
        assertThat(updates).as("asked again, it says the same").hasSize(answered + 1);
        assertThat(last().phase()).isEqualTo(MigrationUpdate.Phase.FAILED);
    }

    @Test
    void anAbortAfterTheVmArrivedSaysItRunsHere() {
        FakeDriver destination = driver("b");
        AgentMigrations agent = agent(destination);
        agent.handle(new MigrationCommand.Prepare(MIGRATION, Vms.running(VM), SOURCE_HOST));
        MigrationEndpoint target = Objects.requireNonNull(last().target());
        FakeDriver source = driver("a");
        source.create(Vms.running(VM));
        source.start(VM);
        source.migrateOut(VM, target, DESTINATION_HOST);
        assertThat(last().phase()).isEqualTo(MigrationUpdate.Phase.RESUMED);

        agent.handle(abort());

        assertThat(last().phase()).isEqualTo(MigrationUpdate.Phase.RESUMED);
        assertThat(destination.hasGuest(VM))
                .as("an arrived VM is never removed by an abort")
                .isTrue();
    }

    @Test
    void aRestartedAgentAnswersFromWhatItsDriverHolds() {
        FakeDriver destination = driver("b");
        agent(destination).handle(abort());
        assertThat(last().phase())
                .as("the VM is not here and nothing waits for it: it can no longer arrive")
                .isEqualTo(MigrationUpdate.Phase.FAILED);
        assertThat(last().error()).contains("not here");

        destination.create(Vms.running(VM));
        destination.start(VM);
        agent(destination).handle(abort());
        assertThat(last().phase())
                .as("it arrived before the agent restarted, and its report was lost")
                .isEqualTo(MigrationUpdate.Phase.RESUMED);
        assertThat(moves).containsExactly("arrived");
    }

    @Test
    void aVmThatArrivedAndStoppedSinceIsHereAndAVmStillWaitingFromAnEarlierAgentIsRemoved() {
        FakeDriver destination = driver("b");
        destination.create(Vms.running(VM)); // arrived, then its host lost power: defined here, not running
        agent(destination).handle(abort());
        assertThat(last().phase()).isEqualTo(MigrationUpdate.Phase.RESUMED);
        assertThat(moves).as("it does not run: the reconciler sees it as it is").isEmpty();

        UUID waiting = Vms.id(2);
        UUID otherMigration = Vms.id(202);
        agent(destination).handle(new MigrationCommand.Prepare(otherMigration, Vms.running(waiting), SOURCE_HOST));
        agent(destination).handle(new MigrationCommand.Abort(otherMigration, waiting, "no end within 60 s"));
        assertThat(last().phase()).isEqualTo(MigrationUpdate.Phase.FAILED);
        assertThat(destination.find(waiting)).as("removed before answering").isEmpty();
    }

    @Test
    void eachStepRunsUnderTheMigrationsCorrelationIdAndLeavesTheThreadAsItWas() {
        FakeDriver destination = driver("b");
        agent(destination).handle(new MigrationCommand.Prepare(MIGRATION, Vms.running(VM), SOURCE_HOST, "corr-7"));
        MigrationEndpoint target = Objects.requireNonNull(last().target());
        FakeDriver source = driver("a");
        source.create(Vms.running(VM));
        source.start(VM);

        agent(source).handle(new MigrationCommand.Start(MIGRATION, VM, 3, target, DESTINATION_HOST, "corr-7"));

        assertThat(moves).contains("departed 3 under corr-7");
        assertThat(Correlation.current())
                .as("the caller's thread keeps its own")
                .isNull();
    }
}
