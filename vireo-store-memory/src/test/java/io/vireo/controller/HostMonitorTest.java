package io.vireo.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.IdGenerator;
import io.vireo.common.testing.MutableClock;
import io.vireo.controller.port.Repositories;
import io.vireo.model.HaPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.ImageFormat;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.scheduler.FirstFitScheduler;
import io.vireo.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Host leases and HA restarts (ADR 19): a guarded host that stops renewing is SUSPECT, then FENCED once its guard's
 * deadline and the margin have passed, and its VMs are dealt with by their HA policy; fencing pauses when many hosts
 * fall silent together, never happens while the host's agent is heard, and waits a lease period after a start.
 */
class HostMonitorTest {
    private static final RequestContext ADMIN = new RequestContext(Project.ADMIN_ID, "corr");
    private static final Duration TICK = Duration.ofMillis(500);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Repositories store = new InMemoryStore().repositories();
    private final ControllerSettings settings = ControllerSettings.defaults();
    private final HaSettings ha = settings.ha();
    private final RecordingAgentGateway agents = new RecordingAgentGateway();
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
    private final HostMonitor monitor = new HostMonitor(store, events, audit, clock, settings);
    private final List<Host> hosts = new ArrayList<>();

    HostMonitorTest() {
        CatalogService catalog = new CatalogService(store, IdGenerator.seeded(new SplittableRandom(8)), clock);
        catalog.createFlavor("small", 1, 1024, 10);
        catalog.createImage(ADMIN, "test-guest", ImageFormat.KERNEL_INITRD, 0);
        for (int i = 1; i <= 4; i++) {
            hosts.add(sessions.register(new HostRegistration("h" + i, new Resources(4, 8192, 100), List.of(), "fake")));
        }
        sessions.renewLeases(hosts.stream().map(Host::id).toList()); // every host is guarded
    }

    @Test
    void aHostWhoseGuardFallsSilentIsSuspectThenFencedAndItsVmsAreDealtWithByTheirPolicies() {
        Vm fromImage = create("db-1", new HaPolicy(HaPolicy.Mode.RESTART_FROM_IMAGE, 0));
        Vm none = create("batch-1", new HaPolicy(HaPolicy.Mode.NONE, 0));
        Vm restart = create("web-1", HaPolicy.DEFAULT);
        placement.placePending();
        UUID h1 = hosts.get(0).id();
        assertThat(List.of(fromImage, none, restart))
                .allSatisfy(vm -> assertThat(hostOf(vm)).isEqualTo(h1));

        Instant silentFrom = clock.instant();
        Set<UUID> alive =
                Set.of(hosts.get(1).id(), hosts.get(2).id(), hosts.get(3).id());
        Duration suspectAt = runUntil(alive, () -> state(h1) == HostState.SUSPECT);
        assertThat(suspectAt)
                .isGreaterThan(ha.suspectAfter())
                .isLessThanOrEqualTo(ha.suspectAfter().plus(TICK));

        Duration fencedAt = runUntil(alive, () -> state(h1) == HostState.FENCED).plus(suspectAt);
        assertThat(fencedAt).isGreaterThan(ha.fenceAfter());
        assertThat(Duration.between(silentFrom, clock.instant())).isEqualTo(fencedAt);

        Vm restarted = store.vms().find(fromImage.id()).orElseThrow();
        assertThat(restarted.state()).isEqualTo(VmState.PENDING);
        assertThat(restarted.hostId()).isNull();
        assertThat(restarted.stateReason()).contains("was fenced").contains("from its image");
        assertThat(store.hosts().find(h1).orElseThrow().allocated())
                .isEqualTo(new Resources(2, 2048, 20)); // the two VMs left there keep their allocation
        placement.placePending();
        Vm placedAgain = store.vms().find(fromImage.id()).orElseThrow();
        assertThat(placedAgain.hostId()).isNotNull().isNotEqualTo(h1);
        assertThat(placedAgain.epoch()).isEqualTo(fromImage.epoch() + 1 + 1); // placed twice: a new epoch each time

        Vm left = store.vms().find(none.id()).orElseThrow();
        assertThat(left.state()).isEqualTo(VmState.ERROR);
        assertThat(left.hostId()).isEqualTo(h1);
        assertThat(left.stateReason()).contains("HA policy is none");
        Vm needsSharedStorage = store.vms().find(restart.id()).orElseThrow();
        assertThat(needsSharedStorage.state()).isEqualTo(VmState.ERROR);
        assertThat(needsSharedStorage.stateReason()).contains("needs shared storage");

        HostMonitor.Outcome quiet = monitor.check();
        assertThat(quiet.restarted() + quiet.left() + quiet.fenced()).isZero(); // nothing is done twice
    }

    @Test
    void fencingPausesWhileMoreThanTheShareOfHostsIsSuspectAndResumesOnlyALeasePeriodAfter() {
        Vm vm = create("db-1", new HaPolicy(HaPolicy.Mode.RESTART_FROM_IMAGE, 0));
        placement.placePending();
        UUID h1 = hosts.get(0).id();
        Set<UUID> alive = Set.of(hosts.get(2).id(), hosts.get(3).id()); // h1 and h2 silent: half the hosts

        runUntil(alive, () -> monitor.paused());
        advance(alive, ha.fenceAfter().multipliedBy(3));
        assertThat(state(h1)).isEqualTo(HostState.SUSPECT);
        assertThat(state(hosts.get(1).id())).isEqualTo(HostState.SUSPECT);
        assertThat(hostOf(vm)).isEqualTo(h1);

        Set<UUID> h2Back =
                Set.of(hosts.get(1).id(), hosts.get(2).id(), hosts.get(3).id());
        runUntil(h2Back, () -> !monitor.paused());
        Instant resumed = clock.instant();
        runUntil(h2Back, () -> state(h1) == HostState.FENCED);
        assertThat(Duration.between(resumed, clock.instant())).isGreaterThanOrEqualTo(ha.fenceAfter());
    }

    @Test
    void aHostWhoseAgentIsStillHeardIsNeverFencedHoweverLongItsGuardIsSilent() {
        UUID h1 = hosts.get(0).id();
        Set<UUID> alive =
                Set.of(hosts.get(1).id(), hosts.get(2).id(), hosts.get(3).id());
        for (int i = 0; i < 120; i++) {
            tick(alive);
            sessions.heartbeat(h1, HostUsage.NONE);
        }
        assertThat(state(h1)).isEqualTo(HostState.SUSPECT);
    }

    @Test
    void noHostIsFencedWithinALeasePeriodOfTheMonitorsStart() {
        UUID h1 = hosts.get(0).id();
        Set<UUID> alive =
                Set.of(hosts.get(1).id(), hosts.get(2).id(), hosts.get(3).id());
        renew(Set.of(h1));
        clock.advance(ha.fenceAfter().plusSeconds(5)); // the server was down meanwhile
        HostMonitor fresh = new HostMonitor(store, events, audit, clock, settings);
        renew(alive);
        heartbeat(alive);
        fresh.check();
        assertThat(state(h1)).isEqualTo(HostState.SUSPECT);
        Instant started = clock.instant();
        while (state(h1) != HostState.FENCED) {
            clock.advance(TICK);
            renew(alive);
            heartbeat(alive);
            fresh.check();
        }
        assertThat(Duration.between(started, clock.instant())).isGreaterThanOrEqualTo(ha.fenceAfter());
    }

    @Test
    void theHighestPriorityIsRestartedFirstWhenAPassRestartsOnlySome() {
        HostMonitor onePerCheck = new HostMonitor(
                store,
                events,
                audit,
                clock,
                settings.withHa(new HaSettings(
                        ha.renewalInterval(),
                        ha.suspectAfter(),
                        ha.fenceDeadline(),
                        ha.fenceMargin(),
                        ha.massSuspectShare(),
                        1,
                        ha.defaultPolicy())));
        Vm low = create("low", new HaPolicy(HaPolicy.Mode.RESTART_FROM_IMAGE, 10));
        Vm high = create("high", new HaPolicy(HaPolicy.Mode.RESTART_FROM_IMAGE, 900));
        placement.placePending();
        UUID h1 = hosts.get(0).id();
        Set<UUID> alive =
                Set.of(hosts.get(1).id(), hosts.get(2).id(), hosts.get(3).id());
        while (state(h1) != HostState.FENCED) {
            clock.advance(TICK);
            renew(alive);
            heartbeat(alive);
            onePerCheck.check();
        }
        assertThat(store.vms().find(high.id()).orElseThrow().state()).isEqualTo(VmState.PENDING);
        assertThat(hostOf(low)).isEqualTo(h1);
        onePerCheck.check();
        assertThat(store.vms().find(low.id()).orElseThrow().state()).isEqualTo(VmState.PENDING);
    }

    @Test
    void aFencedHostThatRegistersAgainIsUpAndKeepsTheVmsNotYetRestarted() {
        Vm vm = create("db-1", new HaPolicy(HaPolicy.Mode.RESTART_FROM_IMAGE, 0));
        placement.placePending();
        UUID h1 = hosts.get(0).id();
        store.hosts().transition(h1, HostState.UP, HostState.FENCED);

        sessions.register(new HostRegistration("h1", new Resources(4, 8192, 100), List.of(), "fake"));

        assertThat(state(h1)).isEqualTo(HostState.UP);
        Vm current = store.vms().find(vm.id()).orElseThrow();
        assertThat(store.claims().releaseForRestart(vm.id(), h1, current.epoch(), "test", clock.instant()))
                .isFalse();
        assertThat(hostOf(vm)).isEqualTo(h1);
    }

    private Vm create(String name, HaPolicy policy) {
        return vms.create(
                ADMIN,
                new CreateVmRequest(
                        name, "small", "test-guest", null, null, null, List.of(), GuestRequest.NONE, policy));
    }

    /** Ticks (renewing and heartbeating the {@code alive} hosts) until {@code done}; returns the time it took. */
    private Duration runUntil(Set<UUID> alive, java.util.function.BooleanSupplier done) {
        Instant from = clock.instant();
        for (int i = 0; i < 1000 && !done.getAsBoolean(); i++) {
            tick(alive);
        }
        assertThat(done.getAsBoolean()).as("reached within 500 s").isTrue();
        return Duration.between(from, clock.instant());
    }

    private void advance(Set<UUID> alive, Duration duration) {
        Instant until = clock.instant().plus(duration);
        while (clock.instant().isBefore(until)) {
            tick(alive);
        }
    }

    private void tick(Set<UUID> alive) {
        clock.advance(TICK);
        renew(alive);
        heartbeat(alive);
        monitor.check();
    }

    private void renew(Set<UUID> hostIds) {
        sessions.renewLeases(hostIds);
    }

    private void heartbeat(Set<UUID> hostIds) {
        hostIds.forEach(id -> sessions.heartbeat(id, HostUsage.NONE));
    }

    private HostState state(UUID hostId) {
        return store.hosts().find(hostId).orElseThrow().state();
    }

    private @Nullable UUID hostOf(Vm vm) {
        return store.vms().find(vm.id()).orElseThrow().hostId();
    }
}
