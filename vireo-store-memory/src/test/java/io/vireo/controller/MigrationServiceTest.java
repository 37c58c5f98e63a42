package io.vireo.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.controller.port.AuditFilter;
import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.MigrationGateway;
import io.vireo.controller.port.Repositories;
import io.vireo.model.AuditRecord;
import io.vireo.model.DesiredVm;
import io.vireo.model.Event;
import io.vireo.model.Host;
import io.vireo.model.HostDrain;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostState;
import io.vireo.model.ImageFormat;
import io.vireo.model.Migration;
import io.vireo.model.MigrationState;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.model.VmAction;
import io.vireo.model.VmState;
import io.vireo.scheduler.FirstFitScheduler;
import io.vireo.store.memory.InMemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@link MigrationService} over the in-memory store, with the agents' reports played by the test. */
class MigrationServiceTest {
    private static final RequestContext ADMIN = new RequestContext(Project.ADMIN_ID, "corr-1");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Migration.Figures FIGURES = new Migration.Figures(
            Duration.ofMillis(700), Duration.ofMillis(50), Duration.ofMillis(640), Duration.ofMillis(90), 88L << 20);

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryStore memory = new InMemoryStore();
    private final Repositories store = memory.repositories();
    private final RecordingAgentGateway agents = new RecordingAgentGateway();
    private final RecordingMigrationGateway migrationAgents = new RecordingMigrationGateway();
    private final ControllerSettings settings = ControllerSettings.defaults();
    private final EventLog events = new EventLog(store.events(), clock);
    private final AuditLog audit = new AuditLog(store.audit(), clock);
    private final PlacementController placement = new PlacementController(
            store,
            new FirstFitScheduler(),
            agents,
            events,
            audit,
            clock,
            settings,
            IdGenerator.seeded(new SplittableRandom(1)));
    private final VmService vms = new VmService(
            store, agents, placement, events, IdGenerator.seeded(new SplittableRandom(7)), clock, settings);
    private final AgentSessions sessions = new AgentSessions(store, agents, placement, events, audit, clock, settings);
    private final MigrationService migrations = service(clock);
    private final CatalogService catalog =
            new CatalogService(store, IdGenerator.seeded(new SplittableRandom(8)), clock);
    private final HostDrains drains =
            new HostDrains(store, memory.migrations(), migrations, catalog, events, clock, HostDrains.Limits.DEFAULT);

    private final Host source;
    private final Host destination;
    private final Vm vm;

    MigrationServiceTest() {
        catalog.createFlavor("small", 2, 2048, 20);
        catalog.createImage(ADMIN, "test-guest", ImageFormat.KERNEL_INITRD, 0);
        source = host("h1");
        Vm created = vms.create(ADMIN, new CreateVmRequest("web1", "small", "test-guest", null));
        placement.placePending();
        destination = host("h2");
        report(source, created, ObservedPower.RUNNING);
        vm = reload(created);
    }

    @Test
    void aMigrationGoesFromPrepareToTheNewHostInOneStep() {
        assertThat(vm.state()).isEqualTo(VmState.RUNNING);

        Migration migration = migrations.migrate(ADMIN, "web1", null);

        assertThat(migration.destinationHostId())
                .as("the scheduler picks a host other than the source")
                .isEqualTo(destination.id());
        assertThat(hostAllocated(destination)).isEqualTo(new Resources(2, 2048, 20));
        assertThat(migrationAgents.prepares).containsExactly(destination.id() + " " + migration.id() + " " + vm.id());

        MigrationGateway.Target target = new MigrationGateway.Target("127.0.0.1", 49200, 49201);
        progress(destination, migration, MigrationProgress.Phase.PREPARED, target, null);
        progress(destination, migration, MigrationProgress.Phase.PREPARED, target, null);
        assertThat(migrationAgents.starts)
                .as("the source is told once, even if the destination repeats itself")
                .containsExactly(source.id() + " " + migration.id() + " 127.0.0.1:49200/49201");
        assertThat(migrationAgents.correlationIds)
                .as("the agents log each step under the call that asked for the migration")
                .containsExactly("corr-1", "corr-1");
        assertThat(state(migration)).isEqualTo(MigrationState.MIGRATING);

        progress(source, migration, MigrationProgress.Phase.SOURCE_COMPLETED, null, FIGURES);
        assertThat(state(migration))
                .as("the source's instance has ended: the VM is the destination's, even if RESUMED never comes")
                .isEqualTo(MigrationState.COMPLETED);
        progress(destination, migration, MigrationProgress.Phase.RESUMED, null, null);

        Vm moved = reload(vm);
        assertThat(moved.hostId()).isEqualTo(destination.id());
        assertThat(moved.epoch()).isEqualTo(vm.epoch() + 1);
        assertThat(moved.state()).isEqualTo(VmState.RUNNING);
        assertThat(hostAllocated(source)).isEqualTo(Resources.ZERO);
        assertThat(hostAllocated(destination)).isEqualTo(new Resources(2, 2048, 20));
        Migration done = memory.migrations().find(migration.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(MigrationState.COMPLETED);
        assertThat(done.figures()).isEqualTo(FIGURES);
        assertThat(agents.sent)
                .contains(new RecordingAgentGateway.Sent(source.id(), List.of(), List.of(vm.id()), false));
        assertThat(agents.upsertsFor(destination.id()))
                .extracting(DesiredVm::epoch)
                .containsExactly(vm.epoch() + 1);
        assertThat(eventTypes()).contains("MigrationRequested", "MigrationPrepared", "MigrationSent", "Migrated");
        assertThat(store.events().list(new EventFilter("vm", vm.id(), null, 0, 100, "corr-1")))
                .as("every step of the migration is part of the call that asked for it")
                .extracting(Event::type)
                .contains("MigrationRequested", "MigrationPrepared", "MigrationSent", "Migrated");
        assertThat(store.audit()
                        .list(AuditFilter.builder(10)
                                .action("system.completeMigration")
                                .build()))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.actor()).isEqualTo(AuditRecord.Actor.system("migration"));
                    assertThat(record.target()).isEqualTo(AuditRecord.Target.of("vm", vm.id(), "web1"));
                    assertThat(record.correlationId())
                            .as("the call that asked for it")
                            .isEqualTo("corr-1");
                    assertThat(record.detail()).contains(migration.id().toString(), "the source sent the VM");
                });

        int sent = agents.sent.size();
        progress(destination, migration, MigrationProgress.Phase.RESUMED, null, null);
        progress(source, migration, MigrationProgress.Phase.FAILED, null, null);
        assertThat(agents.sent).as("late and repeated reports change nothing").hasSize(sent);
        assertThat(state(migration)).isEqualTo(MigrationState.COMPLETED);
        report(destination, moved, ObservedPower.RUNNING);
        assertThat(reload(vm).hostId()).isEqualTo(destination.id());
    }

    @Test
    void aFailureOnEitherSideLeavesTheVmOnTheSourceAndFreesTheDestination() {
        Migration migration = migrations.migrate(ADMIN, "web1", "h2");
        progress(destination, migration, MigrationProgress.Phase.PREPARED, target(), null);

        progress(source, migration, MigrationProgress.Phase.FAILED, null, null);

        assertThat(state(migration)).isEqualTo(MigrationState.FAILED);
        assertThat(reload(vm).hostId()).isEqualTo(source.id());
        assertThat(reload(vm).epoch()).isEqualTo(vm.epoch());
        assertThat(hostAllocated(destination)).isEqualTo(Resources.ZERO);
        assertThat(migrationAgents.aborts).containsExactly(destination.id() + " " + migration.id());
        progress(destination, migration, MigrationProgress.Phase.RESUMED, null, null);
        assertThat(reload(vm).hostId())
                .as("a late RESUMED does not move a failed migration")
                .isEqualTo(source.id());

        Migration again = migrations.migrate(ADMIN, "web1", "h2");
        assertThat(again.id()).isNotEqualTo(migration.id());
    }

    @Test
    void theSourcesFiguresAreKeptWhenTheDestinationReportedFirst() {
        Migration migration = migrations.migrate(ADMIN, "web1", null);
        progress(destination, migration, MigrationProgress.Phase.PREPARED, target(), null);
        progress(destination, migration, MigrationProgress.Phase.RESUMED, null, null);
        assertThat(state(migration)).isEqualTo(MigrationState.COMPLETED);

        progress(source, migration, MigrationProgress.Phase.SOURCE_COMPLETED, null, FIGURES);
        progress(source, migration, MigrationProgress.Phase.SOURCE_COMPLETED, null, FIGURES);

        assertThat(memory.migrations().find(migration.id()).orElseThrow().figures())
                .isEqualTo(FIGURES);
        assertThat(eventTypes()).as("a resent report adds nothing").containsOnlyOnce("MigrationSent");
    }

    @Test
    void onceTheSourceSendsTheSourcesReportDecidesTheOutcome() {
        Migration failedEarly = migrations.migrate(ADMIN, "web1", "h2");
        progress(destination, failedEarly, MigrationProgress.Phase.FAILED, null, null);
        assertThat(state(failedEarly))
                .as("before the source was told to send, the destination's failure ends it")
                .isEqualTo(MigrationState.FAILED);
        assertThat(reload(vm).epoch()).as("the VM never left: its epoch stays").isEqualTo(vm.epoch());

        Migration migration = migrations.migrate(ADMIN, "web1", "h2");
        progress(destination, migration, MigrationProgress.Phase.PREPARED, target(), null);
        progress(source, migration, MigrationProgress.Phase.SOURCE_COMPLETED, null, FIGURES);
        assertThat(state(migration)).isEqualTo(MigrationState.COMPLETED);
        assertThat(reload(vm).hostId()).isEqualTo(destination.id());
    }

    @Test
    void aDestinationThatCanNoLongerHoldTheVmFailsItAndTheSourceMayRunItAgain() {
        Migration migration = migrations.migrate(ADMIN, "web1", "h2");
        progress(destination, migration, MigrationProgress.Phase.PREPARED, target(), null);
        agents.sent.clear();

        progress(destination, migration, MigrationProgress.Phase.FAILED, null, null);

        assertThat(state(migration)).isEqualTo(MigrationState.FAILED);
        Vm stayed = reload(vm);
        assertThat(stayed.hostId()).isEqualTo(source.id());
        assertThat(stayed.epoch())
                .as("a source that had sent it refuses the old epoch; at the new one it starts it again")
                .isEqualTo(vm.epoch() + 1);
        assertThat(agents.upsertsFor(source.id())).extracting(DesiredVm::epoch).containsExactly(vm.epoch() + 1);
        assertThat(hostAllocated(destination)).isEqualTo(Resources.ZERO);
        assertThat(hostAllocated(source)).isEqualTo(new Resources(2, 2048, 20));

        progress(source, migration, MigrationProgress.Phase.SOURCE_COMPLETED, null, FIGURES);
        assertThat(reload(vm).hostId()).as("a late report moves nothing").isEqualTo(source.id());
    }

    @Test
    void anOverdueMigrationWhoseSourceWasToldToSendAsksTheDestinationInsteadOfFailing() {
        Migration migration = migrations.migrate(ADMIN, "web1", "h2");
        progress(destination, migration, MigrationProgress.Phase.PREPARED, target(), null);
        MigrationService later =
                service(Clock.fixed(NOW.plus(MigrationService.DEFAULT_TIMEOUT).plusSeconds(1), ZoneOffset.UTC));

        assertThat(later.sweep()).isZero();
        assertThat(later.sweep()).isZero();

        assertThat(state(migration))
                .as("the source may have sent it: failing on time alone could strand it")
                .isEqualTo(MigrationState.MIGRATING);
        assertThat(eventTypes()).as("said once, not at every sweep").containsOnlyOnce("MigrationOverdue");
        assertThat(migrationAgents.aborts)
                .as("each sweep asks the destination again")
                .containsExactly(destination.id() + " " + migration.id(), destination.id() + " " + migration.id());

        later.progress(
                destination.id(),
                new MigrationProgress(migration.id(), vm.id(), MigrationProgress.Phase.RESUMED, null, "", null, NOW));
        assertThat(state(migration)).isEqualTo(MigrationState.COMPLETED);
        assertThat(reload(vm).hostId()).isEqualTo(destination.id());
    }

    @Test
    void anOverdueMigrationToAFencedHostFailsAndTheSourceMayRunTheVmAgain() {
        Migration migration = migrations.migrate(ADMIN, "web1", "h2");
        progress(destination, migration, MigrationProgress.Phase.PREPARED, target(), null);
        store.hosts().updateState(destination.id(), HostState.FENCED);
        MigrationService later =
                service(Clock.fixed(NOW.plus(MigrationService.DEFAULT_TIMEOUT).plusSeconds(1), ZoneOffset.UTC));

        assertThat(later.sweep()).isEqualTo(1);

        assertThat(state(migration)).isEqualTo(MigrationState.FAILED);
        assertThat(reload(vm).hostId()).isEqualTo(source.id());
        assertThat(reload(vm).epoch()).isEqualTo(vm.epoch() + 1);
        assertThat(memory.migrations().find(migration.id()).orElseThrow().error())
                .contains("the destination host was fenced");
    }

    @Test
    void aVmRunningOnTheDestinationCompletesTheMigrationEvenWithoutItsReport() {
        Migration migration = migrations.migrate(ADMIN, "web1", null);

        migrations.observed(
                destination.id(), List.of(new ObservedVm(vm.id(), ObservedPower.RUNNING, 1, 0, 0, NOW, "")));

        assertThat(state(migration)).isEqualTo(MigrationState.COMPLETED);
        assertThat(reload(vm).hostId()).isEqualTo(destination.id());
    }

    @Test
    void theSweepFailsMigrationsPastTheirTimeoutAndThoseOfDeletedVms() {
        Migration migration = migrations.migrate(ADMIN, "web1", null);
        assertThat(migrations.sweep()).isZero();

        MigrationService later =
                service(Clock.fixed(NOW.plus(MigrationService.DEFAULT_TIMEOUT).plusSeconds(1), ZoneOffset.UTC));
        assertThat(later.sweep()).isEqualTo(1);
        assertThat(state(migration)).isEqualTo(MigrationState.FAILED);
        assertThat(store.audit()
                        .list(AuditFilter.builder(10)
                                .action("system.failMigration")
                                .build()))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.outcome()).isEqualTo(AuditRecord.Outcome.FAILED);
                    assertThat(record.target().id()).isEqualTo(vm.id());
                    assertThat(record.correlationId()).isEqualTo("corr-1");
                    assertThat(record.detail()).contains("no end within");
                });
        assertThat(hostAllocated(destination)).isEqualTo(Resources.ZERO);

        Migration second = migrations.migrate(ADMIN, "web1", null);
        vms.act(ADMIN, "web1", io.vireo.model.VmAction.DELETE);
        assertThat(migrations.sweep()).isEqualTo(1);
        assertThat(state(second)).isEqualTo(MigrationState.FAILED);
    }

    @Test
    void aVmDeletedWhileItsSourceSendsItIsDeletedWhereTheMigrationEnds() {
        Migration migration = migrations.migrate(ADMIN, "web1", null);
        progress(destination, migration, MigrationProgress.Phase.PREPARED, target(), null);
        vms.act(ADMIN, "web1", io.vireo.model.VmAction.DELETE);

        assertThat(migrations.sweep())
                .as("the guest may run on the destination already")
                .isZero();
        sessions.report(source.id(), List.of(), true);
        assertThat(reload(vm).state())
                .as("the source has no guest, but the deletion waits for the migration")
                .isNotEqualTo(VmState.DELETED);

        progress(destination, migration, MigrationProgress.Phase.RESUMED, null, null);
        assertThat(reload(vm).hostId()).isEqualTo(destination.id());
        sessions.report(destination.id(), List.of(), true);
        assertThat(reload(vm).state()).isEqualTo(VmState.DELETED);
        assertThat(hostAllocated(destination)).isEqualTo(Resources.ZERO);
        assertThat(hostAllocated(source)).isEqualTo(Resources.ZERO);
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() {
        assertError(ErrorCode.NOT_FOUND, () -> migrations.migrate(ADMIN, "nope", null));
        assertError(ErrorCode.NOT_FOUND, () -> migrations.migrate(ADMIN, "web1", "nohost"));
        assertError(ErrorCode.INVALID_ARGUMENT, () -> migrations.migrate(ADMIN, "web1", "h1"));
        sessions.register(new HostRegistration("q1", new Resources(64, 65536, 1000), List.of(), "qemu"));
        assertError(ErrorCode.CONFLICT, () -> migrations.migrate(ADMIN, "web1", "q1"));
        migrations.migrate(ADMIN, "web1", null);
        assertError(ErrorCode.CONFLICT, () -> migrations.migrate(ADMIN, "web1", null));
        assertThat(memory.migrations().listByVm(vm.id(), 10)).hasSize(1);

        Vm stopped = vms.create(ADMIN, new CreateVmRequest("web2", "small", "test-guest", null));
        assertError(ErrorCode.CONFLICT, () -> migrations.migrate(ADMIN, stopped.name(), null));
    }

    @Test
    void aDrainMovesTheRunningVmAwayAndEndsWhenTheHostIsEmpty() {
        HostDrains.Progress started = drains.start(source.id(), ADMIN);

        assertThat(store.hosts().find(source.id()).orElseThrow().state()).isEqualTo(HostState.MAINTENANCE);
        assertThat(started.drain()).isEqualTo(new HostDrain(source.id(), "corr-1", NOW));
        assertThat(drains.start(source.id(), new RequestContext(Project.ADMIN_ID, "corr-again"))
                        .drain())
                .as("a second request keeps the drain as it is")
                .isEqualTo(started.drain());

        assertThat(drains.step()).isEqualTo(1);
        Migration migration = memory.migrations().listByVm(vm.id(), 1).getFirst();
        assertThat(migration.destinationHostId()).isEqualTo(destination.id());
        assertThat(migration.correlationId()).as("the drain's request").isEqualTo("corr-1");
        assertThat(drains.step()).as("a VM already moving is not asked again").isZero();
        assertThat(drains.progress(source.id())).isEqualTo(new HostDrains.Progress(started.drain(), 1, 1, Map.of()));

        progress(destination, migration, MigrationProgress.Phase.PREPARED, target(), null);
        progress(source, migration, MigrationProgress.Phase.SOURCE_COMPLETED, null, FIGURES);
        assertThat(reload(vm).hostId()).isEqualTo(destination.id());
        drains.step();

        assertThat(store.hosts().drains()).isEmpty();
        assertThat(drains.progress(source.id())).isEqualTo(new HostDrains.Progress(null, 0, 0, Map.of()));
        assertThat(store.hosts().find(source.id()).orElseThrow().state())
                .as("a drained host stays out of placement")
                .isEqualTo(HostState.MAINTENANCE);
        assertThat(store.events().list(new EventFilter("host", source.id(), null, 0, 100)))
                .filteredOn(event -> event.type().startsWith("Drain"))
                .extracting(Event::type, Event::correlationId)
                .containsExactly(tuple("DrainStarted", "corr-1"), tuple("Drained", "corr-1"));
    }

    @Test
    void aVmWithNowhereToGoWaitsWithItsReasonUntilAHostHasRoom() {
        catalog.enterMaintenance(destination.id());
        drains.start(source.id(), ADMIN);

        assertThat(drains.step()).isZero();
        assertThat(drains.step()).isZero();

        assertThat(drains.progress(source.id()).waiting()).containsOnlyKeys("web1");
        assertThat(eventTypes())
                .as("the reason is written once, not at every step")
                .containsOnlyOnce("DrainWaiting");
        assertThat(store.vms().find(vm.id()).orElseThrow().hostId()).isEqualTo(source.id());

        catalog.leaveMaintenance(destination.id());
        assertThat(drains.step()).isEqualTo(1);
        assertThat(drains.progress(source.id()).waiting()).isEmpty();
    }

    @Test
    void aStoppedVmKeepsTheDrainOpenUntilCancelled() {
        vms.act(ADMIN, "web1", VmAction.STOP);
        report(source, vm, ObservedPower.STOPPED);
        drains.start(source.id(), ADMIN);

        assertThat(drains.step()).isZero();
        assertThat(drains.progress(source.id()).waiting().get("web1")).contains("only running VMs");

        HostDrains.Progress cancelled = drains.cancel(source.id());

        assertThat(cancelled.drain()).isNull();
        assertThat(cancelled.vmsOnHost()).isEqualTo(1);
        assertThat(store.hosts().find(source.id()).orElseThrow().state()).isEqualTo(HostState.MAINTENANCE);
    }

    @Test
    void aHostTakenOutOfMaintenanceStopsItsDrain() {
        drains.start(source.id(), ADMIN);
        catalog.leaveMaintenance(source.id());

        assertThat(drains.step()).isZero();

        assertThat(store.hosts().drains()).isEmpty();
        assertThat(reload(vm).hostId()).isEqualTo(source.id());
        assertError(ErrorCode.NOT_FOUND, () -> drains.start(UUID.randomUUID(), ADMIN));
    }

    private MigrationService service(Clock at) {
        return new MigrationService(
                store,
                memory.migrations(),
                new FirstFitScheduler(),
                new MigrationService.AgentGatewayAccess(agents, migrationAgents),
                new EventLog(store.events(), at),
                new AuditLog(store.audit(), at),
                IdGenerator.seeded(new SplittableRandom(9)),
                at,
                settings,
                MigrationService.DEFAULT_TIMEOUT);
    }

    private Host host(String name) {
        return sessions.register(new HostRegistration(name, new Resources(8, 65536, 1000), List.of(), "fake"));
    }

    private Vm reload(Vm of) {
        return store.vms().find(of.id()).orElseThrow();
    }

    private void report(Host host, Vm of, ObservedPower power) {
        Vm current = reload(of);
        sessions.report(
                host.id(),
                List.of(new ObservedVm(
                        of.id(), power, current.generation(), current.rebootCount(), current.epoch(), NOW, "")),
                false);
    }

    private void progress(
            Host from,
            Migration migration,
            MigrationProgress.Phase phase,
            MigrationGateway.@Nullable Target target,
            Migration.@Nullable Figures figures) {
        migrations.progress(
                from.id(), new MigrationProgress(migration.id(), vm.id(), phase, target, "boom", figures, null));
    }

    private static MigrationGateway.Target target() {
        return new MigrationGateway.Target("127.0.0.1", 49200, 0);
    }

    private MigrationState state(Migration migration) {
        return memory.migrations().find(migration.id()).orElseThrow().state();
    }

    private Resources hostAllocated(Host host) {
        return store.hosts().find(host.id()).orElseThrow().allocated();
    }

    private List<String> eventTypes() {
        return store.events().list(new EventFilter("vm", vm.id(), null, 0, 100)).stream()
                .map(Event::type)
                .toList();
    }

    private static void assertError(ErrorCode code, Runnable action) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    /** Remembers the migration messages, one line each. */
    private static final class RecordingMigrationGateway implements MigrationGateway {
        final List<String> prepares = new ArrayList<>();
        final List<String> starts = new ArrayList<>();
        final List<String> aborts = new ArrayList<>();
        /** The correlation id of every message, in order. */
        final List<String> correlationIds = new ArrayList<>();

        @Override
        public void sendPrepare(UUID hostId, UUID migrationId, DesiredVm vm, UUID sourceHostId, String correlationId) {
            prepares.add(hostId + " " + migrationId + " " + vm.vmId());
            correlationIds.add(correlationId);
        }

        @Override
        public void sendStart(
                UUID hostId,
                UUID migrationId,
                UUID vmId,
                long sourceEpoch,
                Target target,
                UUID destinationHostId,
                String correlationId) {
            starts.add(hostId + " " + migrationId + " " + target.host() + ":" + target.migrationPort() + "/"
                    + target.diskPort());
            correlationIds.add(correlationId);
        }

        @Override
        public void sendAbort(UUID hostId, UUID migrationId, UUID vmId, String reason, String correlationId) {
            aborts.add(hostId + " " + migrationId);
            correlationIds.add(correlationId);
        }
    }
}
