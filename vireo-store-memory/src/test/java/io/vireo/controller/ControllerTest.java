package io.vireo.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.controller.port.ConsoleLog;
import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.Repositories;
import io.vireo.controller.port.VmRepository;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostReservation;
import io.vireo.model.ImageFormat;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ControllerTest {
    private static final RequestContext ADMIN = new RequestContext(Project.ADMIN_ID, "test-correlation");

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final Repositories store = new InMemoryStore().repositories();
    private final RecordingAgentGateway agents = new RecordingAgentGateway();
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
    private final CatalogService catalog =
            new CatalogService(store, IdGenerator.seeded(new SplittableRandom(8)), clock);

    ControllerTest() {
        catalog.createFlavor("small", 2, 2048, 20);
        catalog.createImage(ADMIN, "test-guest", ImageFormat.KERNEL_INITRD, 0);
    }

    private Host host(String name, int vcpus) {
        return sessions.register(new HostRegistration(name, new Resources(vcpus, 65536, 1000), List.of(), "fake"));
    }

    private Vm create(String name) {
        return vms.create(ADMIN, new CreateVmRequest(name, "small", "test-guest", null));
    }

    private Vm reload(Vm vm) {
        return store.vms().find(vm.id()).orElseThrow();
    }

    private void report(Host host, Vm vm, ObservedPower power) {
        Vm current = reload(vm);
        sessions.report(
                host.id(),
                List.of(new ObservedVm(
                        vm.id(),
                        power,
                        current.generation(),
                        current.rebootCount(),
                        current.epoch(),
                        clock.instant(),
                        "")),
                false);
    }

    @Test
    void createdVmIsPlacedAndSentToItsHost() {
        Host host = host("h1", 8);
        Vm vm = create("web1");
        assertThat(vm.state()).isEqualTo(VmState.PENDING);

        assertThat(placement.placePending()).isEqualTo(1);

        Vm placed = reload(vm);
        assertThat(placed.state()).isEqualTo(VmState.SCHEDULED);
        assertThat(placed.hostId()).isEqualTo(host.id());
        assertThat(placed.epoch()).isEqualTo(1);
        assertThat(agents.upsertsFor(host.id())).extracting(d -> d.vmId()).containsExactly(vm.id());
        assertThat(store.hosts().find(host.id()).orElseThrow().allocated()).isEqualTo(new Resources(2, 2048, 20));
    }

    @Test
    void consoleLogIsReadFromTheVmsHostAndFailuresAreMapped() {
        Host host = host("h1", 8);
        Vm vm = create("web1");
        assertThatThrownBy(() -> vms.consoleLog(ADMIN, "web1", -100, 100))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        placement.placePending();

        ConsoleLog log = vms.consoleLog(ADMIN, "web1", -8, 100);

        assertThat(log).isEqualTo(new ConsoleLog("login: \n", 21, 29, 29));
        assertThat(agents.consoleReads())
                .containsExactly(new RecordingAgentGateway.ConsoleRead(host.id(), vm.id(), -8, 100));
        agents.consoleFailure = new VireoException(ErrorCode.UNAVAILABLE, "host h1 is not connected");
        assertThatThrownBy(() -> vms.consoleLog(ADMIN, "web1", 0, 100))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThatThrownBy(() -> vms.consoleLog(ADMIN, "web1", 0, VmService.MAX_CONSOLE_BYTES + 1))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void lifecycleFollowsAgentReports() {
        Host host = host("h1", 8);
        Vm vm = create("web1");
        placement.placePending();

        report(host, vm, ObservedPower.CREATING);
        assertThat(reload(vm).state()).isEqualTo(VmState.STARTING);
        report(host, vm, ObservedPower.RUNNING);
        assertThat(reload(vm).state()).isEqualTo(VmState.RUNNING);
        assertThat(reload(vm).startedAt()).isEqualTo(clock.instant());

        vms.act(ADMIN, "web1", VmAction.STOP);
        assertThat(reload(vm).desiredState()).isEqualTo(io.vireo.model.DesiredState.STOPPED);
        assertThat(agents.sent.getLast().upserts())
                .singleElement()
                .satisfies(d -> assertThat(d.desiredState()).isEqualTo(io.vireo.model.DesiredState.STOPPED));
        report(host, vm, ObservedPower.RUNNING);
        assertThat(reload(vm).state()).isEqualTo(VmState.STOPPING);
        report(host, vm, ObservedPower.STOPPED);
        assertThat(reload(vm).state()).isEqualTo(VmState.STOPPED);

        vms.act(ADMIN, "web1", VmAction.DELETE);
        assertThat(reload(vm).state()).isEqualTo(VmState.DELETING);
        report(host, vm, ObservedPower.ABSENT);
        assertThat(reload(vm).state()).isEqualTo(VmState.DELETED);
        assertThat(store.hosts().find(host.id()).orElseThrow().allocated()).isEqualTo(Resources.ZERO);
        assertThat(agents.sent.getLast().removals()).containsExactly(vm.id());
        assertThat(vms.find(ADMIN, "web1")).isEmpty();
    }

    @Test
    void aReRegistrationThatChangesTheHostsCapacityOrItsAgentsReservationIsLogged() {
        Host host = host("h1", 8);
        Resources bigger = new Resources(16, 65536, 1000);
        HostReservation fourGib = new HostReservation(null, 4096L, null);

        sessions.register(new HostRegistration("h1", new Resources(8, 65536, 1000), List.of(), "fake"));
        sessions.register(new HostRegistration("h1", bigger, List.of(), "fake", fourGib));
        sessions.register(new HostRegistration("h1", bigger, List.of(), "fake", fourGib));

        List<io.vireo.model.Event> logged = store.events().list(new EventFilter("host", host.id(), null, 0, 100));
        assertThat(logged)
                .extracting(e -> e.type())
                .containsExactly("Registered", "CapacityChanged", "ReservationChanged");
        assertThat(logged.get(2).message())
                .contains("the agent reserves memoryMib 4096 (was nothing)")
                .contains("memoryMib=4096");
    }

    @Test
    void fullReportMissingAVmMeansAbsent() {
        Host host = host("h1", 8);
        Vm vm = create("web1");
        placement.placePending();
        vms.act(ADMIN, "web1", VmAction.DELETE);

        sessions.report(host.id(), List.of(), true);

        assertThat(reload(vm).state()).isEqualTo(VmState.DELETED);
    }

    @Test
    void aReportTheStoreCannotTakeIsSaidToBeUnrecordedAndTheNextOneIsApplied() {
        Host host = host("h1", 8);
        Vm vm = create("web1");
        placement.placePending();
        boolean[] down = {true};
        VmRepository failing = (VmRepository) java.lang.reflect.Proxy.newProxyInstance(
                VmRepository.class.getClassLoader(), new Class<?>[] {VmRepository.class}, (proxy, method, args) -> {
                    if (down[0]) {
                        throw new VireoException(ErrorCode.UNAVAILABLE, "the database is down");
                    }
                    try {
                        return method.invoke(store.vms(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Repositories outage = new Repositories(
                store.hosts(),
                failing,
                store.claims(),
                store.events(),
                store.flavors(),
                store.images(),
                store.serverGroups(),
                store.vmStats(),
                store.volumes(),
                store.audit());
        AgentSessions during = new AgentSessions(outage, agents, placement, events, audit, clock, settings);
        Vm placed = reload(vm);
        ObservedVm running = new ObservedVm(
                vm.id(),
                ObservedPower.RUNNING,
                placed.generation(),
                placed.rebootCount(),
                placed.epoch(),
                clock.instant(),
                "");

        assertThat(during.report(host.id(), List.of(running), false)).isFalse();
        assertThat(reload(vm).state()).isEqualTo(VmState.SCHEDULED);

        down[0] = false;
        assertThat(during.report(host.id(), List.of(running), true)).isTrue();
        assertThat(reload(vm).state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void reportFromStaleEpochOrOtherHostIsIgnored() {
        Host host = host("h1", 8);
        Host other = host("h2", 8);
        Vm vm = create("web1");
        placement.placePending();
        sessions.report(host.id(), List.of(new ObservedVm(vm.id(), ObservedPower.RUNNING, 1, 0, 0, null, "")), false);
        sessions.report(other.id(), List.of(new ObservedVm(vm.id(), ObservedPower.RUNNING, 1, 0, 1, null, "")), false);

        assertThat(reload(vm).state()).isEqualTo(VmState.SCHEDULED);
    }

    @Test
    void noValidHostPutsTheVmInErrorWithAnExplanation() {
        host("h1", 1);
        Vm vm = create("big");
        placement.placePending();

        Vm failed = reload(vm);
        assertThat(failed.state()).isEqualTo(VmState.ERROR);
        assertThat(failed.stateReason()).contains("ResourceFit rejected 1");
        assertThat(store.events().list(new EventFilter("vm", vm.id(), null, 0, 100)))
                .extracting(e -> e.type())
                .contains("NoValidHost");

        host("h2", 8);
        vms.act(ADMIN, "big", VmAction.START);
        placement.placePending();
        assertThat(reload(vm).state()).isEqualTo(VmState.SCHEDULED);
    }

    @Test
    void idempotencyKeyMakesOneVm() {
        Vm first = vms.create(ADMIN, new CreateVmRequest("web1", "small", "test-guest", "key-1"));
        Vm again = vms.create(ADMIN, new CreateVmRequest("web1", "small", "test-guest", "key-1"));

        assertThat(again.id()).isEqualTo(first.id());
        assertThatThrownBy(() -> vms.create(ADMIN, new CreateVmRequest("web1", "small", "test-guest", "key-2")))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
    }

    @Test
    void unknownFlavorOrImageIsNotFoundAndCreatesNothing() {
        assertThatThrownBy(() -> vms.create(ADMIN, new CreateVmRequest("web1", "huge", "test-guest", null)))
                .hasMessageContaining("flavor 'huge' not found");
        assertThatThrownBy(() -> vms.create(ADMIN, new CreateVmRequest("web1", "small", "nope", null)))
                .hasMessageContaining("image 'nope' not found");
        assertThat(store.vms().countByState()).isEmpty();
    }

    @Test
    void concurrentPlacementNeverOverAllocates() throws Exception {
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            hosts.add(host("h" + i, 60)); // 30 VMs of 2 vCPUs each
        }
        for (int i = 0; i < 200; i++) {
            create("vm-" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> passes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                passes.add(pool.submit(placement::placePending));
            }
            for (Future<Integer> pass : passes) {
                pass.get();
            }
        } finally {
            pool.shutdownNow();
        }
        placement.placePending();

        assertThat(store.vms().countByState().get(VmState.SCHEDULED)).isEqualTo(150);
        assertThat(store.vms().countByState().get(VmState.ERROR)).isEqualTo(50);
        for (Host host : hosts) {
            Host after = store.hosts().find(host.id()).orElseThrow();
            assertThat(after.allocated().vcpus()).isEqualTo(60);
            assertThat(store.vms().listByHost(host.id())).hasSize(30);
        }
    }
}
