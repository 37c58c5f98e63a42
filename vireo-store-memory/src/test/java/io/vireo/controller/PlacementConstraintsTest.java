package io.vireo.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.IdGenerator;
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
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Placement honours a VM's server group, zone and traits, and the claim enforces hard group rules. */
class PlacementConstraintsTest {
    private static final RequestContext ADMIN = new RequestContext(Project.ADMIN_ID, "test-correlation");

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final Repositories store = new InMemoryStore().repositories();
    private final RecordingAgentGateway agents = new RecordingAgentGateway();
    private final ControllerSettings settings = ControllerSettings.defaults();
    private final EventLog events = new EventLog(store.events(), clock);
    private final AuditLog audit = new AuditLog(store.audit(), clock);
    private final ServerGroupService groups =
            new ServerGroupService(store, IdGenerator.seeded(new SplittableRandom(9)), clock);

    PlacementConstraintsTest() {
        CatalogService catalog = new CatalogService(store, IdGenerator.seeded(new SplittableRandom(8)), clock);
        catalog.createFlavor("small", 2, 2048, 20);
        catalog.createImage(ADMIN, "test-guest", ImageFormat.KERNEL_INITRD, 0);
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

    private Host host(String name, String... capabilities) {
        return store.hosts()
                .register(
                        new HostRegistration(name, new Resources(16, 65536, 1000), List.of(capabilities), "fake"),
                        clock.instant());
    }

    private static CreateVmRequest request(
            String name, @Nullable String group, @Nullable String zone, String... traits) {
        return new CreateVmRequest(name, "small", "test-guest", null, group, zone, List.of(traits));
    }

    private Vm reload(Vm vm) {
        return store.vms().find(vm.id()).orElseThrow();
    }

    @Test
    void antiAffineMembersLandOnDifferentHostsAndTheOneTooManyIsExplained() {
        Host h1 = host("h1");
        Host h2 = host("h2");
        groups.create(ADMIN, "web", ServerGroupPolicy.ANTI_AFFINITY, null);
        PlacementController placement = framework();
        VmService vms = vms(placement);
        List<Vm> members = List.of(
                vms.create(ADMIN, request("web1", "web", null)),
                vms.create(ADMIN, request("web2", "web", null)),
                vms.create(ADMIN, request("web3", "web", null)));

        placement.placePending();

        List<Vm> after = members.stream().map(this::reload).toList();
        assertThat(after.stream().map(Vm::hostId).filter(java.util.Objects::nonNull))
                .containsExactlyInAnyOrder(h1.id(), h2.id());
        Vm refused =
                after.stream().filter(vm -> vm.hostId() == null).findFirst().orElseThrow();
        assertThat(refused.state()).isEqualTo(VmState.ERROR);
        assertThat(refused.stateReason())
                .contains("ServerGroupAffinity: 2 hosts (holds 1 member of the group already)");
    }

    @Test
    void affineMembersFollowTheFirstOne() {
        host("h1");
        host("h2");
        host("h3");
        groups.create(ADMIN, "db", ServerGroupPolicy.AFFINITY, null);
        PlacementController placement = framework();
        VmService vms = vms(placement);
        for (int i = 1; i <= 4; i++) {
            vms.create(ADMIN, request("db" + i, "db", null));
            placement.placePending();
        }

        List<Vm> members = groups.members(groups.get(ADMIN, "db"));
        assertThat(members).hasSize(4).allMatch(vm -> vm.state() == VmState.SCHEDULED);
        assertThat(members.stream().map(Vm::hostId).distinct()).hasSize(1);
    }

    @Test
    void zoneAndTraitsChooseTheHostAndAnImpossibleRequestIsExplained() {
        host("h1", "az:zone-a", "trait:cpu.avx2", "trait:storage.ssd");
        Host wanted = host("h2", "az:zone-a", "trait:cpu.avx2");
        host("h3", "az:zone-b", "trait:cpu.avx2");
        PlacementController placement = framework();
        VmService vms = vms(placement);
        Vm fits = vms.create(ADMIN, request("fits", null, "zone-a", "cpu.avx2", "!storage.ssd"));
        Vm nowhere = vms.create(ADMIN, request("nowhere", null, "zone-b", "storage.ssd"));

        placement.placePending();

        assertThat(reload(fits).hostId()).isEqualTo(wanted.id());
        assertThat(reload(nowhere).state()).isEqualTo(VmState.ERROR);
        assertThat(reload(nowhere).stateReason()).contains("AvailabilityZone: 2 hosts", "Traits: 1 host");
    }

    @Test
    void theClaimRefusesAHostThatBreaksAHardRuleEvenIfTheSchedulerChoseIt() {
        Host h1 = host("h1");
        host("h2");
        groups.create(ADMIN, "web", ServerGroupPolicy.ANTI_AFFINITY, null);
        PlacementController blind = placement(new FirstFitScheduler()); // ignores groups: always proposes h1
        VmService vms = vms(blind);
        Vm first = vms.create(ADMIN, request("web1", "web", null));
        Vm second = vms.create(ADMIN, request("web2", "web", null));

        blind.placePending();

        assertThat(reload(first).hostId()).isEqualTo(h1.id());
        assertThat(reload(second).hostId()).isNull();
        assertThat(reload(second).state()).isEqualTo(VmState.PENDING);
        assertThat(store.vms().listByHost(h1.id())).containsExactly(reload(first));
    }
}
