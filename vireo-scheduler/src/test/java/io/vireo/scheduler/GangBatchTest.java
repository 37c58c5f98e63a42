package io.vireo.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.plugins.FrameworkScheduler;
import io.vireo.scheduler.testing.TestHosts;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Gangs placed through {@link PlacementBatch#placeGang}: all or nothing, and the batch's view left as it was. */
class GangBatchTest {
    private static Host host(int number) {
        return new Host(
                TestHosts.id("h" + number),
                "h" + number,
                Instant.EPOCH,
                HostState.UP,
                new Resources(16, 65_536, 1_000),
                Resources.ZERO,
                5,
                List.of(),
                "fake",
                null,
                HostUsage.NONE,
                CapacityPolicy.NONE,
                false);
    }

    private static final List<Host> FIFTEEN =
            IntStream.range(0, 15).mapToObj(GangBatchTest::host).toList();

    private static List<UUID> vms(int count) {
        return IntStream.range(0, count).mapToObj(i -> new UUID(7, i)).toList();
    }

    private static PlacementRequest antiAffine(UUID first) {
        return PlacementRequest.builder(first, new Resources(1, 1_024, 10))
                .serverGroup(new ServerGroup(ServerGroupPolicy.ANTI_AFFINITY, 1, List.of()))
                .build();
    }

    @Test
    void anAntiAffineGangLargerThanTheClusterPlacesNoneAndSaysWhichMemberFailed() {
        PlacementBatch batch =
                FrameworkScheduler.create(SchedulerSettings.DEFAULT, 1).batch(FIFTEEN);
        List<UUID> gang = vms(20);

        GangPlacementResult result = batch.placeGang(antiAffine(gang.get(0)), gang);

        assertThat(result).isInstanceOf(GangPlacementResult.NoValidHost.class);
        assertThat(((GangPlacementResult.NoValidHost) result).explanation())
                .startsWith("gang of 20 VMs, none placed: member 16 found no valid host among 15 hosts: "
                        + "ServerGroupAffinity: 15 hosts");
    }

    @Test
    void aGangThatFitsGetsOneHostPerMemberAsTheViewHadItAndLeavesTheViewUnchanged() {
        PlacementBatch batch =
                FrameworkScheduler.create(SchedulerSettings.DEFAULT, 1).batch(FIFTEEN);
        List<UUID> gang = vms(10);

        GangPlacementResult result = batch.placeGang(antiAffine(gang.get(0)), gang);

        List<Host> hosts = ((GangPlacementResult.Placed) result).hosts();
        assertThat(hosts).hasSize(10).allSatisfy(host -> assertThat(FIFTEEN).contains(host));
        assertThat(new HashSet<>(hosts)).hasSize(10);
        // Not applied to the view: the same gang again is placed as if the first had not been.
        assertThat(batch.placeGang(antiAffine(gang.get(0)), gang)).isEqualTo(result);
    }

    @Test
    void theDefaultBatchPlacesGangsAllOrNothingByCapacity() {
        Scheduler firstFit = new FirstFitScheduler();
        List<Host> two = List.of(host(0), host(1));
        PlacementRequest half = new PlacementRequest(new UUID(7, 0), new Resources(8, 1_024, 10));

        GangPlacementResult four = firstFit.batch(two).placeGang(half, vms(4));
        GangPlacementResult five = firstFit.batch(two).placeGang(half, vms(5));

        assertThat(((GangPlacementResult.Placed) four).hosts()).containsExactly(host(0), host(0), host(1), host(1));
        assertThat(((GangPlacementResult.NoValidHost) five).explanation())
                .isEqualTo("gang of 5 VMs, none placed: member 5 found no valid host among 2 hosts; ResourceFit"
                        + " rejected 2");
    }
}
