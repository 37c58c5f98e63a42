package io.vireo.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.IdGenerator;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.ServerGroup;
import io.vireo.scheduler.ServerGroupPolicy;
import io.vireo.scheduler.plugins.InTreePlugins;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.HostInventory;
import io.vireo.scheduler.snapshot.ResourceClass;
import io.vireo.scheduler.snapshot.ResourceInventory;
import io.vireo.scheduler.testing.ClusterGenerator;
import io.vireo.scheduler.testing.ReferenceOracle;
import io.vireo.scheduler.testing.RequestGenerator;
import io.vireo.scheduler.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Seeded properties of gang placement: all or nothing, and when all, each member in turn fits by the
 * {@link ReferenceOracle} on the cluster as the members before it left it (capacity x ratio, hard affinity and
 * anti-affinity included).
 */
class GangPropertiesTest {
    private static final int RUNS = 150;

    @Test
    void aGangPlacesAllMembersLegallyOrNone() {
        int[] placedWithHardGroup = new int[1];
        int[] unschedulable = new int[1];
        Seeds.forEach(RUNS, seed -> {
            RandomGenerator random = Seeds.random(seed);
            List<HostInventory> hosts = new ClusterGenerator(random).hosts(10 + random.nextInt(80));
            PlacementRequest request = withHardGroupSometimes(new RequestGenerator(random).request(hosts), random);
            List<UUID> vms = new ArrayList<>();
            IdGenerator ids = IdGenerator.seeded(random);
            for (int i = 1 + random.nextInt(20); i > 0; i--) {
                vms.add(ids.next());
            }
            ClusterSnapshot snapshot = ClusterSnapshot.of(hosts);
            List<HostInventory> untouched = snapshot.inventories();

            GangOutcome outcome = InTreePlugins.framework(SchedulerSettings.DEFAULT)
                    .placeGang(snapshot, new GangRequest(request, vms), Seeds.random(~seed));

            assertThat(snapshot.inventories()).isEqualTo(untouched);
            switch (outcome) {
                case GangOutcome.Placed placed -> {
                    checkMembersInTurn(hosts, request, vms, placed);
                    placedWithHardGroup[0] += request.serverGroup().policy().isHard() ? 1 : 0;
                }
                case GangOutcome.Unschedulable none -> {
                    assertThat(none.failedMember()).isBetween(0, vms.size() - 1);
                    unschedulable[0]++;
                }
            }
        });
        if (!Seeds.replaying()) { // the generators must exercise both outcomes, and hard groups that fit
            assertThat(placedWithHardGroup[0]).isGreaterThanOrEqualTo(RUNS / 10);
            assertThat(unschedulable[0]).isGreaterThanOrEqualTo(RUNS / 10);
        }
    }

    private static PlacementRequest withHardGroupSometimes(PlacementRequest request, RandomGenerator random) {
        if (!random.nextBoolean()) {
            return request;
        }
        ServerGroupPolicy policy = random.nextBoolean() ? ServerGroupPolicy.AFFINITY : ServerGroupPolicy.ANTI_AFFINITY;
        return new PlacementRequest(
                request.vmId(),
                request.resources(),
                request.excludedHosts(),
                request.customResources(),
                request.traits(),
                request.availabilityZones(),
                request.aggregates(),
                new ServerGroup(
                        policy, 1 + random.nextInt(3), request.serverGroup().memberHosts()));
    }

    private static void checkMembersInTurn(
            List<HostInventory> hosts, PlacementRequest request, List<UUID> vms, GangOutcome.Placed placed) {
        assertThat(placed.assignments())
                .extracting(GangOutcome.Assignment::vmId)
                .containsExactlyElementsOf(vms);
        List<HostInventory> current = new ArrayList<>(hosts);
        ReferenceOracle oracle = new ReferenceOracle(request);
        for (GangOutcome.Assignment assignment : placed.assignments()) {
            HostInventory host = current.get(assignment.host());
            assertThat(oracle.fits(host))
                    .as("member %s on host %s", assignment.vmId(), assignment.host())
                    .isTrue();
            current.set(assignment.host(), claimed(host, request.demand()));
            oracle.addMember(host.id());
        }
        ClusterSnapshot after = placed.snapshotAfter();
        for (int h = 0; h < hosts.size(); h++) {
            for (ResourceClass resourceClass : after.resourceClasses()) {
                assertThat(after.used(after.resourceClassIndex(resourceClass), h))
                        .isEqualTo(current.get(h).resource(resourceClass).used());
            }
        }
    }

    private static HostInventory claimed(HostInventory host, Map<ResourceClass, Long> demand) {
        HostInventory.Builder builder = HostInventory.builder(host.id(), host.name())
                .state(host.state())
                .availabilityZone(host.availabilityZone())
                .recentFailures(host.recentFailures());
        host.traits().forEach(builder::trait);
        host.aggregates().forEach(builder::aggregate);
        host.resources().forEach((resourceClass, inventory) -> builder.resource(resourceClass, inventory));
        demand.forEach((resourceClass, amount) -> {
            ResourceInventory inventory = host.resource(resourceClass);
            builder.resource(resourceClass, inventory.withUsed(inventory.used() + amount));
        });
        return builder.build();
    }
}
