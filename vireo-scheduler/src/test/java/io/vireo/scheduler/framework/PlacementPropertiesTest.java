package io.vireo.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.plugins.DefaultProfiles;
import io.vireo.scheduler.plugins.InTreePlugins;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.HostInventory;
import io.vireo.scheduler.snapshot.ResourceClass;
import io.vireo.scheduler.testing.ClusterGenerator;
import io.vireo.scheduler.testing.ReferenceOracle;
import io.vireo.scheduler.testing.RequestGenerator;
import io.vireo.scheduler.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Seeded properties of single placements over random clusters and requests, checked against {@link ReferenceOracle}.
 * A failure prints its seed; {@code -Dvireo.seed=<seed>} replays it.
 */
class PlacementPropertiesTest {
    private static final int RUNS = 200;

    /** One random scenario: a cluster, a request, settings. */
    record Scenario(
            List<HostInventory> hosts, ClusterSnapshot snapshot, PlacementRequest request, SchedulerSettings settings) {
        static Scenario of(long seed) {
            RandomGenerator random = Seeds.random(seed);
            List<HostInventory> hosts =
                    new ClusterGenerator(random).hosts(random.nextInt(2_000) == 0 ? 0 : 1 + random.nextInt(300));
            PlacementRequest request = new RequestGenerator(random).request(hosts);
            List<String> profiles = List.of(DefaultProfiles.DEFAULT, DefaultProfiles.SPREAD, DefaultProfiles.PACK);
            SchedulerSettings settings = SchedulerSettings.DEFAULT.withProfile(profiles.get(random.nextInt(3)));
            if (random.nextInt(4) == 0) {
                settings =
                        new SchedulerSettings(settings.profile(), 1 + random.nextInt(99), 1 + random.nextInt(50), 10);
            }
            return new Scenario(hosts, ClusterSnapshot.of(hosts), request, settings);
        }

        PlacementOutcome place(long seed) {
            return InTreePlugins.framework(settings).place(snapshot, request, Seeds.random(~seed));
        }
    }

    @Test
    void aPlacementFitsExactlyWhenTheOracleSaysSomeHostFits() {
        int[] outcomes = new int[2];
        Seeds.forEach(RUNS, seed -> {
            Scenario s = Scenario.of(seed);
            ReferenceOracle oracle = new ReferenceOracle(s.request());
            long feasible = s.hosts().stream().filter(oracle::fits).count();

            switch (s.place(seed)) {
                case PlacementOutcome.Placed placed -> {
                    assertThat(oracle.fits(s.hosts().get(placed.host())))
                            .as("chosen host %s fits", placed.host())
                            .isTrue();
                    assertClaimWithinCapacity(s, placed);
                    outcomes[0]++;
                }
                case PlacementOutcome.Unschedulable none -> {
                    assertThat(feasible)
                            .as("feasible hosts the framework missed: %s", none.explanation())
                            .isZero();
                    int rejected = none.explanation().rejections().stream()
                            .mapToInt(Explanation.Rejection::hosts)
                            .sum();
                    assertThat(rejected)
                            .as("every host is blamed once")
                            .isEqualTo(s.hosts().size());
                    outcomes[1]++;
                }
            }
        });
        if (!Seeds.replaying()) { // the generators must exercise both outcomes
            assertThat(outcomes[0]).as("placed").isGreaterThanOrEqualTo(RUNS / 10);
            assertThat(outcomes[1]).as("unschedulable").isGreaterThanOrEqualTo(RUNS / 10);
        }
    }

    /** The claim takes exactly the demand from the chosen host, stays within capacity x ratio, touches no other host. */
    private static void assertClaimWithinCapacity(Scenario s, PlacementOutcome.Placed placed) {
        ClusterSnapshot after = placed.snapshotAfter();
        Map<ResourceClass, Long> demand = s.request().demand();
        List<String> wrong = new ArrayList<>();
        for (int h = 0; h < s.hosts().size(); h++) {
            HostInventory before = s.hosts().get(h);
            for (ResourceClass resourceClass : after.resourceClasses()) {
                int c = after.resourceClassIndex(resourceClass);
                long claimed = h == placed.host() ? demand.getOrDefault(resourceClass, 0L) : 0L;
                long used = after.used(c, h);
                if (used != before.resource(resourceClass).used() + claimed) {
                    wrong.add(resourceClass + " used " + used + " on host " + h);
                }
                long capacity =
                        before.resource(resourceClass).used() + ReferenceOracle.free(before.resource(resourceClass));
                if (claimed > 0 && used > capacity) {
                    wrong.add(resourceClass + " used " + used + " beyond capacity " + capacity + " on host " + h);
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(after.resourceGeneration(placed.host())).isEqualTo(placed.expectedGeneration() + 1);
    }

    @Test
    void theSameSeedGivesTheSameOutcome() {
        Seeds.forEach(RUNS / 3, seed -> {
            PlacementOutcome first = Scenario.of(seed).place(seed);
            PlacementOutcome second = Scenario.of(seed).place(seed);

            switch (first) {
                case PlacementOutcome.Placed placed ->
                    assertThat(second).isInstanceOfSatisfying(PlacementOutcome.Placed.class, again -> {
                        assertThat(again.host()).isEqualTo(placed.host());
                        assertThat(again.hostId()).isEqualTo(placed.hostId());
                    });
                case PlacementOutcome.Unschedulable none -> assertThat(second).isEqualTo(none);
            }
        });
    }

    @Test
    void everyFilterKeepsInBatchExactlyTheHostsItAcceptsOneByOne() {
        var registry = InTreePlugins.registry();
        Seeds.forEach(RUNS / 3, seed -> {
            Scenario s = Scenario.of(seed);
            for (String name : registry.names()) {
                if (registry.create(name) instanceof FilterPlugin filter) {
                    // PluginHarness.verdicts asserts that retainFeasible and filter agree
                    assertThat(io.vireo.scheduler.testing.PluginHarness.verdicts(filter, s.snapshot(), s.request()))
                            .hasSize(s.hosts().size());
                }
            }
        });
    }
}
