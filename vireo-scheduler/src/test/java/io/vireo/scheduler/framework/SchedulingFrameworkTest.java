package io.vireo.scheduler.framework;

import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.request;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.VireoException;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.plugins.DefaultProfiles;
import io.vireo.scheduler.plugins.InTreePlugins;
import io.vireo.scheduler.plugins.hoststate.HostStateFilter;
import io.vireo.scheduler.plugins.pack.PackScorer;
import io.vireo.scheduler.plugins.resourcefit.ResourceFitFilter;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.HostInventory;
import io.vireo.scheduler.snapshot.ResourceClass;
import io.vireo.scheduler.testing.Seeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchedulingFrameworkTest {
    // "full" has 2 of 16 VCPUs and 4 of 64 GiB free; "empty" has all free
    private static final ClusterSnapshot FULL_AND_EMPTY = snapshot(
            host("full").resource(ResourceClass.VCPU, 16, 14).resource(ResourceClass.MEMORY_MIB, 65_536, 61_440),
            host("empty"));

    private static PlacementOutcome.Placed placed(PlacementOutcome outcome) {
        assertThat(outcome).isInstanceOf(PlacementOutcome.Placed.class);
        return (PlacementOutcome.Placed) outcome;
    }

    record ProfileCase(String profile, String expectedHost) {}

    static Stream<ProfileCase> profiles() {
        return Stream.of(
                new ProfileCase(DefaultProfiles.DEFAULT, "empty"),
                new ProfileCase(DefaultProfiles.SPREAD, "empty"),
                new ProfileCase(DefaultProfiles.PACK, "full"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("profiles")
    void profilesSpreadOrPack(ProfileCase c) {
        SchedulingFramework framework = InTreePlugins.framework(SchedulerSettings.DEFAULT.withProfile(c.profile()));

        var outcome =
                placed(framework.place(FULL_AND_EMPTY, request(1, 1_024, 10).build(), Seeds.random(7)));

        assertThat(FULL_AND_EMPTY.hostName(outcome.host())).isEqualTo(c.expectedHost());
    }

    @Test
    void placedCarriesTheExpectedGenerationAndTheClaim() {
        var snapshot = snapshot(host("a").resourceGeneration(41));

        var outcome = placed(InTreePlugins.framework(SchedulerSettings.DEFAULT)
                .place(snapshot, request(2, 1_024, 10).build(), Seeds.random(1)));

        assertThat(outcome.expectedGeneration()).isEqualTo(41);
        assertThat(outcome.hostId()).isEqualTo(snapshot.hostId(0));
        assertThat(outcome.snapshotAfter().resourceGeneration(0)).isEqualTo(42);
        assertThat(outcome.snapshotAfter().used(ClusterSnapshot.VCPU, 0)).isEqualTo(2);
        assertThat(snapshot.used(ClusterSnapshot.VCPU, 0)).isZero();
    }

    @Test
    void equalHostsAreChosenBySeedSoSchedulersSpreadOut() {
        List<HostInventory> hosts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            hosts.add(host("h" + i).build());
        }
        var snapshot = ClusterSnapshot.of(hosts);
        var framework = InTreePlugins.framework(SchedulerSettings.DEFAULT);
        PlacementRequest request = request().build();

        Set<Integer> chosen = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            int host = placed(framework.place(snapshot, request, Seeds.random(seed)))
                    .host();
            assertThat(placed(framework.place(snapshot, request, Seeds.random(seed)))
                            .host())
                    .isEqualTo(host);
            chosen.add(host);
        }
        assertThat(chosen).hasSizeGreaterThan(5);
    }

    @Test
    void samplingStillFindsTheOnlyFeasibleHost() {
        List<HostInventory> hosts = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            hosts.add(host("h" + i, 1, 1_024, 10).build());
        }
        hosts.set(4_321, host("big", 64, 262_144, 1_000).build());
        var settings = new SchedulerSettings(DefaultProfiles.DEFAULT, 5, 1, 10);

        var outcome = placed(InTreePlugins.framework(settings)
                .place(ClusterSnapshot.of(hosts), request(8, 1, 1).build(), Seeds.random(3)));

        assertThat(outcome.host()).isEqualTo(4_321);
    }

    @Test
    void samplingTargetHasAFloorAndIsOffByDefault() {
        assertThat(SchedulerSettings.DEFAULT.sampling()).isFalse();
        assertThat(SchedulerSettings.DEFAULT.feasibleTarget(10_000)).isEqualTo(10_000);
        var sampling = SchedulerSettings.DEFAULT.withSamplingPercent(10);
        assertThat(sampling.feasibleTarget(10_000)).isEqualTo(1_000);
        assertThat(sampling.feasibleTarget(500)).isEqualTo(100);
        assertThat(sampling.feasibleTarget(50)).isEqualTo(50);
    }

    @Test
    void aWeightOfZeroMutesAScorer() {
        var profile = new Profile(
                "muted", List.of(PluginSpec.of(ResourceFitFilter.NAME), new PluginSpec(PackScorer.NAME, 0)));
        var framework = SchedulingFramework.create(profile, InTreePlugins.registry(), SchedulerSettings.DEFAULT);

        Set<String> chosen = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            chosen.add(FULL_AND_EMPTY.hostName(
                    placed(framework.place(FULL_AND_EMPTY, request().build(), Seeds.random(seed)))
                            .host()));
        }
        assertThat(chosen).containsExactlyInAnyOrder("full", "empty");
    }

    @Test
    void unknownPluginsAndProfilesAreInvalidArguments() {
        var profile = new Profile("bad", List.of(PluginSpec.of(HostStateFilter.NAME), PluginSpec.of("NoSuchPlugin")));

        assertThatThrownBy(
                        () -> SchedulingFramework.create(profile, InTreePlugins.registry(), SchedulerSettings.DEFAULT))
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("NoSuchPlugin");
        assertThatThrownBy(() -> DefaultProfiles.named("fastest"))
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("default, spread, pack");
    }
}
