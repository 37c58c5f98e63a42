package io.vireo.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.plugins.FrameworkScheduler;
import io.vireo.scheduler.testing.Seeds;
import io.vireo.scheduler.testing.TestHosts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The {@link Scheduler} interface the controller uses, on top of the framework; and the first-fit one it replaces. */
class FrameworkSchedulerTest {
    private static Host host(String name, HostState state, Resources allocated, String... capabilities) {
        return new Host(
                TestHosts.id(name),
                name,
                Instant.EPOCH,
                state,
                new Resources(16, 65_536, 1_000),
                allocated,
                3,
                List.of(capabilities),
                "fake",
                null,
                HostUsage.NONE,
                CapacityPolicy.NONE,
                false);
    }

    private final Host down = host("down", HostState.DOWN, Resources.ZERO);
    private final Host full = host("full", HostState.UP, new Resources(16, 65_536, 1_000));
    private final Host fine = host("fine", HostState.UP, new Resources(4, 8_192, 100), "trait:cpu.avx2", "az:az-1");

    @Test
    void answersWithTheHostRecordItChose() {
        Scheduler scheduler = FrameworkScheduler.create(SchedulerSettings.DEFAULT, 42);

        PlacementResult result = scheduler.place(
                List.of(down, full, fine), new PlacementRequest(UUID.randomUUID(), new Resources(2, 2_048, 20)));

        assertThat(result).isEqualTo(new PlacementResult.Placed(fine));
        assertThat(((PlacementResult.Placed) result).host().resourceGeneration())
                .isEqualTo(3);
    }

    @Test
    void readsTraitsAndZonesFromCapabilities() {
        Scheduler scheduler = FrameworkScheduler.create(SchedulerSettings.DEFAULT, 42);
        Host plain = host("plain", HostState.UP, Resources.ZERO, "az:az-2");
        PlacementRequest request = PlacementRequest.builder(UUID.randomUUID(), new Resources(1, 1, 1))
                .traits(LabelRequirement.required("cpu.avx2"))
                .availabilityZone("az-1")
                .build();

        assertThat(scheduler.place(List.of(plain, fine), request)).isEqualTo(new PlacementResult.Placed(fine));
    }

    @Test
    void explainsNoValidHost() {
        Scheduler scheduler = FrameworkScheduler.create(SchedulerSettings.DEFAULT, 42);

        PlacementResult result =
                scheduler.place(List.of(down, full), new PlacementRequest(UUID.randomUUID(), new Resources(1, 1, 1)));

        assertThat(result)
                .isEqualTo(new PlacementResult.NoValidHost(
                        "no valid host among 2 hosts: HostState: 1 host (host DOWN); ResourceFit: 1 host (VCPU short)",
                        Map.of("HostState", 1, "ResourceFit", 1)));
    }

    @Test
    void aRequiredHostIsTheOnlyChoiceAndWhyItCannotTakeTheVmIsExplained() {
        Scheduler scheduler = FrameworkScheduler.create(SchedulerSettings.DEFAULT, 42);
        Host empty = host("empty", HostState.UP, Resources.ZERO);
        RequiredHost holdsData = new RequiredHost(fine.id(), "the host holding volume 'data1'");
        PlacementRequest small = PlacementRequest.builder(UUID.randomUUID(), new Resources(2, 2_048, 20))
                .requiredHost(holdsData)
                .build();
        PlacementRequest big = PlacementRequest.builder(UUID.randomUUID(), new Resources(14, 2_048, 20))
                .requiredHost(holdsData)
                .build();

        assertThat(scheduler.place(List.of(empty, fine), small)).isEqualTo(new PlacementResult.Placed(fine));
        assertThat(scheduler.place(List.of(empty, fine), big))
                .isEqualTo(new PlacementResult.NoValidHost(
                        "no valid host among 2 hosts: RequiredHost: 1 host (not the host holding volume 'data1');"
                                + " ResourceFit: 1 host (VCPU short)",
                        Map.of("RequiredHost", 1, "ResourceFit", 1)));
        assertThat(scheduler.place(List.of(empty), small))
                .isEqualTo(new PlacementResult.NoValidHost(
                        "no valid host among 1 hosts: RequiredHost: 1 host (the host holding volume 'data1' is not"
                                + " among the hosts)",
                        Map.of("RequiredHost", 1)));
    }

    @Test
    void sameHostsRequestAndSeedSameAnswer() {
        List<Host> equal = List.of(
                host("a", HostState.UP, Resources.ZERO),
                host("b", HostState.UP, Resources.ZERO),
                host("c", HostState.UP, Resources.ZERO));
        PlacementRequest request = new PlacementRequest(TestHosts.id("vm"), new Resources(1, 1, 1));

        assertThat(FrameworkScheduler.create(SchedulerSettings.DEFAULT, 7).place(equal, request))
                .isEqualTo(
                        FrameworkScheduler.create(SchedulerSettings.DEFAULT, 7).place(equal, request));
    }

    /**
     * A batch on the kept snapshot chooses exactly what placing on the whole, updated host list chooses (the default
     * batch), VM after VM, and converts no host again for the claims it was told about.
     */
    @Test
    void aBatchOnTheKeptSnapshotChoosesWhatPlacingOnTheUpdatedListChooses() {
        Seeds.forEach(50, seed -> {
            RandomGenerator random = Seeds.random(seed);
            List<Host> hosts = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(30); i++) {
                Resources used = new Resources(random.nextInt(17), random.nextInt(65_537), random.nextInt(1_001));
                hosts.add(host("h" + i, random.nextInt(8) == 0 ? HostState.DOWN : HostState.UP, used));
            }
            FrameworkScheduler scheduler = FrameworkScheduler.create(SchedulerSettings.DEFAULT, seed);
            scheduler.batch(hosts); // the kept snapshot exists from an earlier pass
            PlacementBatch kept = scheduler.batch(hosts);
            PlacementBatch listed = new HostListBatch(scheduler, hosts);
            for (int vm = 0; vm < 20; vm++) {
                PlacementRequest request = new PlacementRequest(
                        new UUID(seed, vm), new Resources(1 + random.nextInt(4), 1 + random.nextInt(8_192), 10));
                PlacementResult result = kept.place(request);
                assertThat(result).isEqualTo(listed.place(request));
                if (result instanceof PlacementResult.Placed placed) {
                    Host after = claimed(placed.host(), request.resources());
                    kept.update(after);
                    listed.update(after);
                }
            }
            assertThat(scheduler.holder().rebuilds()).isEqualTo(1);
            assertThat(scheduler.holder().hostsConverted()).isZero();
        });
    }

    private static Host claimed(Host host, Resources resources) {
        return new Host(
                host.id(),
                host.name(),
                host.createdAt(),
                host.state(),
                host.capacity(),
                host.allocated().plus(resources),
                host.resourceGeneration() + 1,
                host.capabilities(),
                host.driver(),
                host.lastHeartbeatAt(),
                host.usage(),
                host.capacityPolicy(),
                host.capacityPolicyOverridden());
    }

    @Test
    void firstFitStillWorks() {
        PlacementResult result = new FirstFitScheduler()
                .place(List.of(down, full, fine), new PlacementRequest(UUID.randomUUID(), new Resources(1, 1, 1)));

        assertThat(result).isEqualTo(new PlacementResult.Placed(fine));
    }
}
