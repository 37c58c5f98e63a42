package io.vireo.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.ImageFormat;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.scheduler.FirstFitScheduler;
import io.vireo.scheduler.Scheduler;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.plugins.FrameworkScheduler;
import io.vireo.store.memory.InMemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** VMs created with a count: named, created and placed all or none, and claimed in one store transaction. */
class GangPlacementTest {
    private static final RequestContext ADMIN = new RequestContext(Project.ADMIN_ID, "test-correlation");

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final Repositories store = new InMemoryStore().repositories();
    private final RecordingAgentGateway agents = new RecordingAgentGateway();
    private final ControllerSettings settings = ControllerSettings.defaults();
    private final EventLog events = new EventLog(store.events(), clock);
    private final AuditLog audit = new AuditLog(store.audit(), clock);
    private final ServerGroupService groups =
            new ServerGroupService(store, IdGenerator.seeded(new SplittableRandom(9)), clock);

    GangPlacementTest() {
        CatalogService catalog = new CatalogService(store, IdGenerator.seeded(new SplittableRandom(8)), clock);
        catalog.createFlavor("small", 2, 2048, 20);
        catalog.createImage(ADMIN, "test-guest", ImageFormat.KERNEL_INITRD, 0);
        groups.create(ADMIN, "web", ServerGroupPolicy.ANTI_AFFINITY, 1);
    }

    private PlacementController placement(Scheduler scheduler) {
        return new PlacementController(
                store, scheduler, agents, events, audit, clock, settings, IdGenerator.seeded(new SplittableRandom(1)));
    }

    private PlacementController framework() {
        return placement(FrameworkScheduler.create(SchedulerSettings.DEFAULT, 42));
    }

    private VmService vms(PlacementController placement) {
        return new VmService(
                store, agents, placement, events, IdGenerator.seeded(new SplittableRandom(7)), clock, settings);
    }

    private List<Host> hosts(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> store.hosts()
                        .register(
                                new HostRegistration("h" + i, new Resources(16, 65536, 1000), List.of(), "fake"),
                                clock.instant()))
                .toList();
    }

    private static CreateVmRequest request(String name, @Nullable String group) {
        return new CreateVmRequest(name, "small", "test-guest", null, group, null, List.of());
    }

    private List<Vm> reload(List<Vm> vms) {
        return vms.stream().map(vm -> store.vms().find(vm.id()).orElseThrow()).toList();
    }

    @Test
    void aGangIsNamedAfterItsMembersAndSharesAGangId() {
        VmGang gang = vms(framework()).createGang(ADMIN, request("web", "web"), 12);

        assertThat(gang.members())
                .extracting(Vm::name)
                .startsWith("web-1", "web-2")
                .endsWith("web-11", "web-12");
        assertThat(gang.members())
                .allSatisfy(vm -> assertThat(vm.constraints().gangId()).isEqualTo(gang.gangId()))
                .allSatisfy(vm -> assertThat(vm.constraints().serverGroupId()).isNotNull())
                .allSatisfy(vm -> assertThat(vm.state()).isEqualTo(VmState.PENDING));
        assertThat(store.events().list(new io.vireo.controller.port.EventFilter(null, null, null, 0, 100)))
                .filteredOn(event -> event.type().equals("Created"))
                .hasSize(12);
    }

    @Test
    void anAntiAffineGangLargerThanTheClusterGoesToErrorWhole() {
        List<Host> hosts = hosts(15);
        PlacementController placement = framework();
        VmGang gang = vms(placement).createGang(ADMIN, request("web", "web"), 20);

        placement.placePending();

        assertThat(reload(gang.members())).allSatisfy(vm -> {
            assertThat(vm.state()).isEqualTo(VmState.ERROR);
            assertThat(vm.hostId()).isNull();
            assertThat(vm.stateReason())
                    .startsWith("gang of 20 VMs, none placed: member 16 found no valid host among 15 hosts: "
                            + "ServerGroupAffinity: 15 hosts");
        });
        assertThat(store.hosts().list())
                .allSatisfy(host -> assertThat(host.allocated()).isEqualTo(Resources.ZERO));
        assertThat(agents.sent).isEmpty();
        assertThat(hosts).hasSize(15);
    }

    @Test
    void anAntiAffineGangThatFitsIsPlacedWholeOnDistinctHosts() {
        hosts(15);
        PlacementController placement = framework();
        VmGang gang = vms(placement).createGang(ADMIN, request("web", "web"), 10);

        placement.placePending();

        List<Vm> placed = reload(gang.members());
        assertThat(placed).allSatisfy(vm -> assertThat(vm.state()).isEqualTo(VmState.SCHEDULED));
        assertThat(new HashSet<>(placed.stream().map(Vm::hostId).toList())).hasSize(10);
        assertThat(agents.sent.stream().mapToInt(sent -> sent.upserts().size()).sum())
                .isEqualTo(10);
        assertThat(store.hosts().list().stream().map(Host::allocated).reduce(Resources.ZERO, Resources::plus))
                .isEqualTo(new Resources(20, 20_480, 200));
    }

    @Test
    void aMemberDeletedBeforePlacementLeavesTheOthersToBePlaced() {
        hosts(3);
        PlacementController placement = framework();
        VmService vms = vms(placement);
        VmGang gang = vms.createGang(ADMIN, request("web", "web"), 3);
        vms.act(ADMIN, "web-2", io.vireo.model.VmAction.DELETE);

        placement.placePending();

        List<Vm> after = reload(gang.members());
        assertThat(after.get(0).state()).isEqualTo(VmState.SCHEDULED);
        assertThat(after.get(1).state()).isEqualTo(VmState.DELETED);
        assertThat(after.get(2).state()).isEqualTo(VmState.SCHEDULED);
    }

    @Test
    void theGangClaimRefusesWhatAGroupBlindSchedulerProposesAndClaimsNothing() {
        hosts(3);
        PlacementController blind = placement(new FirstFitScheduler()); // proposes h0 for every member
        VmGang gang = vms(blind).createGang(ADMIN, request("web", "web"), 2);

        blind.placePending();

        assertThat(reload(gang.members())).allSatisfy(vm -> {
            assertThat(vm.state()).isEqualTo(VmState.PENDING);
            assertThat(vm.hostId()).isNull();
        });
        assertThat(store.hosts().list())
                .allSatisfy(host -> assertThat(host.allocated()).isEqualTo(Resources.ZERO));
    }

    @Test
    void badCountsNamesAndCollisionsCreateNothing() {
        VmService vms = vms(framework());
        vms.create(ADMIN, request("web-3", null));

        assertInvalid("count", () -> vms.createGang(ADMIN, request("a", null), 101));
        assertInvalid("count", () -> vms.createGang(ADMIN, request("a", null), 1));
        assertInvalid("name", () -> vms.createGang(ADMIN, request("a".repeat(61), null), 10));
        assertInvalid(
                "volumes",
                () -> vms.createGang(
                        ADMIN,
                        new CreateVmRequest(
                                "a",
                                "small",
                                "test-guest",
                                null,
                                null,
                                null,
                                List.of(),
                                new GuestRequest(List.of(), null, List.of("data1"), false)),
                        2));
        assertThatThrownBy(() -> vms.createGang(ADMIN, request("web", null), 4))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));

        assertThat(store.vms().listPending(100)).extracting(Vm::name).containsExactly("web-3");
    }

    private static void assertInvalid(String field, Runnable action) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(VireoException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).startsWith(field + ":");
        });
    }

    /**
     * Two placement controllers (as two server replicas would) run passes at the same time over one store: every VM
     * and every gang is placed, and neither loses a claim to the other on the same VM, since each pass takes its
     * own pending VMs.
     */
    @Test
    void twoControllersPlaceDisjointVmsWithoutClaimConflicts() throws Exception {
        hosts(25);
        ControllerSettings d = ControllerSettings.defaults();
        ControllerSettings smallPasses = new ControllerSettings(
                10,
                d.claimRetries(),
                d.specRetries(),
                d.placementPollInterval(),
                d.heartbeatInterval(),
                d.heartbeatTimeout(),
                d.resyncInterval(),
                d.startupGracePeriod(),
                d.capacityDefaults(),
                d.placementLease(),
                d.ha());
        Scheduler scheduler = FrameworkScheduler.create(SchedulerSettings.DEFAULT, 42);
        PlacementController first = new PlacementController(
                store,
                scheduler,
                agents,
                events,
                audit,
                clock,
                smallPasses,
                IdGenerator.seeded(new SplittableRandom(1)));
        PlacementController second = new PlacementController(
                store,
                scheduler,
                agents,
                events,
                audit,
                clock,
                smallPasses,
                IdGenerator.seeded(new SplittableRandom(2)));
        VmService vms = vms(first);
        List<Vm> created = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            created.add(vms.create(ADMIN, request("vm" + i, null)));
            if (i % 30 == 0) {
                created.addAll(vms.createGang(ADMIN, request("g" + i, null), 5).members());
            }
        }
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<?>> passes = new ArrayList<>();
            for (PlacementController controller : List.of(first, second)) {
                passes.add(executor.submit(() -> {
                    start.await();
                    while (controller.placePending() > 0) {
                        // another pass
                    }
                    return null;
                }));
            }
            for (Future<?> pass : passes) {
                pass.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(reload(created)).allSatisfy(vm -> assertThat(vm.state()).isEqualTo(VmState.SCHEDULED));
        assertThat(first.claimConflicts() + second.claimConflicts()).isZero();
        assertThat(store.hosts().list().stream().map(Host::allocated).reduce(Resources.ZERO, Resources::plus))
                .isEqualTo(new Resources(2 * created.size(), 2048L * created.size(), 20L * created.size()));
    }
}
