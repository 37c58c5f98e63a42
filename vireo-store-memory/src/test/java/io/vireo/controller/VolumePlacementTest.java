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
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import io.vireo.model.VmAction;
import io.vireo.model.VmState;
import io.vireo.model.Volume;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.plugins.FrameworkScheduler;
import io.vireo.store.memory.InMemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A kept volume attached to a new VM pins the VM to the host holding its data, through the scheduler's RequiredHost
 * filter (the default profile, which would otherwise spread to the emptier host); without room there the VM goes to
 * ERROR with the scheduler's explanation. A volume never used stays unpinned.
 */
class VolumePlacementTest {
    private static final RequestContext ADMIN = new RequestContext(Project.ADMIN_ID, "test");

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);
    private final Repositories store = new InMemoryStore().repositories();
    private final RecordingAgentGateway agents = new RecordingAgentGateway();
    private final ControllerSettings settings = ControllerSettings.defaults();
    private final EventLog events = new EventLog(store.events(), clock);
    private final AuditLog audit = new AuditLog(store.audit(), clock);
    private final PlacementController placement = new PlacementController(
            store,
            FrameworkScheduler.create(SchedulerSettings.DEFAULT, 42),
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

    VolumePlacementTest() {
        catalog.createFlavor("small", 2, 2048, 20);
        catalog.createFlavor("big", 4, 2048, 20);
        catalog.createImage(ADMIN, "test-guest", ImageFormat.KERNEL_INITRD, 0);
    }

    private Host host(String name, int vcpus) {
        return sessions.register(new HostRegistration(name, new Resources(vcpus, 65536, 1000), List.of(), "fake"));
    }

    private Vm create(String name, String flavor, boolean keep, String... volumes) {
        return vms.create(
                ADMIN,
                new CreateVmRequest(
                        name,
                        flavor,
                        "test-guest",
                        null,
                        null,
                        null,
                        List.of(),
                        new GuestRequest(List.of(), null, List.of(volumes), keep)));
    }

    private Vm placed(Vm vm) {
        placement.placePending();
        return store.vms().find(vm.id()).orElseThrow();
    }

    /** Deletes a placed VM as its agent confirms it: the delete transaction records where kept volumes stay. */
    private void delete(Vm vm) {
        vms.act(ADMIN, vm.name(), VmAction.DELETE);
        Vm current = store.vms().find(vm.id()).orElseThrow();
        sessions.report(
                java.util.Objects.requireNonNull(current.hostId(), "placed"),
                List.of(new ObservedVm(
                        vm.id(), ObservedPower.ABSENT, current.generation(), 0, current.epoch(), null, "")),
                false);
        assertThat(store.vms().find(vm.id()).orElseThrow().state()).isEqualTo(VmState.DELETED);
    }

    private Volume volume(String name) {
        return catalog.volume(ADMIN, name);
    }

    @Test
    void aKeptVolumePinsItsNextVmToItsHostAndANewVolumeDoesNot() {
        Host small = host("small-host", 2);
        catalog.createVolume(ADMIN, "data1", 10);
        Vm writer = placed(create("writer", "small", true, "data1"));
        assertThat(writer.hostId()).isEqualTo(small.id());
        Host roomy = host("roomy-host", 16);
        delete(writer);
        assertThat(volume("data1").hostId()).isEqualTo(small.id());
        assertThat(volume("data1").attached()).isFalse();

        Vm reader = placed(create("reader", "small", true, "data1"));

        assertThat(reader.state()).isEqualTo(VmState.SCHEDULED);
        assertThat(reader.hostId())
                .as("pinned to the volume's host although the default profile spreads to the emptier one")
                .isEqualTo(small.id());
        assertThat(agents.upsertsFor(small.id()))
                .filteredOn(desired -> desired.vmId().equals(reader.id()))
                .singleElement()
                .satisfies(desired -> assertThat(desired.guest().volumes())
                        .singleElement()
                        .satisfies(v -> assertThat(v.volumeId())
                                .isEqualTo(volume("data1").id())));

        catalog.createVolume(ADMIN, "fresh", 5);
        Vm unpinned = placed(create("unpinned", "small", false, "fresh"));
        assertThat(unpinned.hostId())
                .as("a volume never used goes where the scheduler likes")
                .isEqualTo(roomy.id());
    }

    @Test
    void withoutRoomOnTheVolumesHostTheVmFailsWithTheSchedulersExplanation() {
        Host small = host("small-host", 2);
        catalog.createVolume(ADMIN, "data1", 10);
        Vm writer = placed(create("writer", "small", true, "data1"));
        host("roomy-host", 16);
        delete(writer);

        Vm tooBig = placed(create("too-big", "big", true, "data1"));

        assertThat(tooBig.state()).isEqualTo(VmState.ERROR);
        assertThat(tooBig.stateReason())
                .isEqualTo("no valid host among 2 hosts: RequiredHost: 1 host (not the host holding volume 'data1');"
                        + " ResourceFit: 1 host (VCPU short)");
        vms.act(ADMIN, "too-big", VmAction.DELETE);
        assertThat(volume("data1").hostId())
                .as("a VM that never ran leaves the volume on its host")
                .isEqualTo(small.id());
        assertThat(placed(create("fits", "small", false, "data1")).hostId()).isEqualTo(small.id());
    }

    @Test
    void volumesHoldingDataOnTwoHostsCannotGoToOneVm() {
        host("a", 2);
        catalog.createVolume(ADMIN, "on-a", 1);
        Vm first = placed(create("first", "small", true, "on-a"));
        host("b", 2);
        catalog.createVolume(ADMIN, "on-b", 1);
        Vm second = placed(create("second", "small", true, "on-b"));
        assertThat(second.hostId()).isNotEqualTo(first.hostId());
        delete(first);
        delete(second);

        assertThatThrownBy(() -> create("both", "small", false, "on-a", "on-b"))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessage("volumes 'on-a' and 'on-b' hold their data on different hosts; a VM runs on one host");
        assertThat(store.vms().findByName(Project.ADMIN_ID, "both")).isEmpty();
        assertThat(volume("on-a").attached()).isFalse();
    }

    private Host hostWith(String name, int vcpus, long memoryMib, long diskGib) {
        return sessions.register(
                new HostRegistration(name, new Resources(vcpus, memoryMib, diskGib), List.of(), "fake"));
    }

    /**
     * A VM claims its root disk plus its volumes on its host (DISK_GIB), the scheduler asks for the same, and the
     * VM's delete releases both; a kept volume's disk is counted again by the VM it next attaches to, on its host.
     */
    @Test
    void aVmClaimsItsVolumesDiskAndReleasesItWithTheVm() {
        Host host = hostWith("disk-host", 16, 65536, 80);
        catalog.createVolume(ADMIN, "data1", 10);
        catalog.createVolume(ADMIN, "data2", 25);

        Vm vm = placed(create("vm1", "small", true, "data1", "data2"));

        assertThat(vm.claimedResources()).isEqualTo(new Resources(2, 2048, 20 + 10 + 25));
        assertThat(store.hosts().find(host.id()).orElseThrow().allocated()).isEqualTo(new Resources(2, 2048, 55));
        catalog.createVolume(ADMIN, "data3", 10);
        Vm tooBig = placed(create("vm2", "small", false, "data3"));
        assertThat(tooBig.state())
                .as("20 + 10 GiB do not fit the 25 GiB left (the flavor's 20 alone would)")
                .isEqualTo(VmState.ERROR);

        delete(vm);
        assertThat(store.hosts().find(host.id()).orElseThrow().allocated()).isEqualTo(Resources.ZERO);

        catalog.createVolume(ADMIN, "data4", 1);
        Vm again = placed(create("vm3", "small", false, "data1", "data4"));
        assertThat(again.hostId()).isEqualTo(host.id());
        assertThat(store.hosts().find(host.id()).orElseThrow().allocated())
                .as("the kept volume counts again with its new VM")
                .isEqualTo(new Resources(2, 2048, 31));
    }

    @Test
    void aHostWithRoomForTheFlavorButNotItsVolumesIsNotChosen() {
        hostWith("tight", 64, 262_144, 25); // far emptier for the spread profile, but 20 + 10 GiB do not fit
        Host roomy = hostWith("roomy", 4, 8192, 100);
        catalog.createVolume(ADMIN, "data1", 10);

        Vm vm = placed(create("vm1", "small", false, "data1"));

        assertThat(vm.hostId()).isEqualTo(roomy.id());
        assertThat(store.hosts().find(roomy.id()).orElseThrow().allocated()).isEqualTo(new Resources(2, 2048, 30));
    }
}
