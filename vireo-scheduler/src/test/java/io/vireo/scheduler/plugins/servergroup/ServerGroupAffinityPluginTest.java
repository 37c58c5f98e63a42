package io.vireo.scheduler.plugins.servergroup;

import static io.vireo.scheduler.testing.PluginHarness.OK;
import static io.vireo.scheduler.testing.PluginHarness.scores;
import static io.vireo.scheduler.testing.PluginHarness.verdicts;
import static io.vireo.scheduler.testing.TestHosts.host;
import static io.vireo.scheduler.testing.TestHosts.id;
import static io.vireo.scheduler.testing.TestHosts.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.ServerGroup;
import io.vireo.scheduler.ServerGroupPolicy;
import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.testing.PluginHarness;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ServerGroupAffinityPluginTest {
    private static final String NOT_WITH_GROUP = "holds no member of the affinity group";
    private static final ClusterSnapshot HOSTS = snapshot(host("a"), host("b"), host("c"));

    record Case(String name, ServerGroupPolicy policy, int maxPerHost, List<String> members, List<String> expected) {}

    static Stream<Case> filterCases() {
        String full1 = "holds 1 member of the group already";
        String full2 = "holds 2 members of the group already";
        return Stream.of(
                new Case("no group", ServerGroupPolicy.NONE, 1, List.of(), List.of("skip", "skip", "skip")),
                new Case("affinity, first member", ServerGroupPolicy.AFFINITY, 1, List.of(), List.of(OK, OK, OK)),
                new Case(
                        "affinity joins the group",
                        ServerGroupPolicy.AFFINITY,
                        1,
                        List.of("b", "b"),
                        List.of(NOT_WITH_GROUP, OK, NOT_WITH_GROUP)),
                new Case(
                        "affinity with members on a gone host",
                        ServerGroupPolicy.AFFINITY,
                        1,
                        List.of("gone"),
                        List.of(NOT_WITH_GROUP, NOT_WITH_GROUP, NOT_WITH_GROUP)),
                new Case(
                        "anti-affinity, one per host",
                        ServerGroupPolicy.ANTI_AFFINITY,
                        1,
                        List.of("a", "c"),
                        List.of(full1, OK, full1)),
                new Case(
                        "anti-affinity, two per host",
                        ServerGroupPolicy.ANTI_AFFINITY,
                        2,
                        List.of("a", "c", "c"),
                        List.of(OK, OK, full2)),
                new Case(
                        "soft affinity filters nothing",
                        ServerGroupPolicy.SOFT_AFFINITY,
                        1,
                        List.of("a"),
                        List.of("skip", "skip", "skip")),
                new Case(
                        "soft anti-affinity filters nothing",
                        ServerGroupPolicy.SOFT_ANTI_AFFINITY,
                        1,
                        List.of("a"),
                        List.of("skip", "skip", "skip")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void hardRules(Case c) {
        assertThat(verdicts(new ServerGroupAffinityPlugin(), HOSTS, request(c.policy(), c.maxPerHost(), c.members())))
                .containsExactlyElementsOf(c.expected());
    }

    @Test
    void softAffinityPrefersHostsWithMoreMembers() {
        var request = request(ServerGroupPolicy.SOFT_AFFINITY, 1, List.of("a", "a", "b"));

        assertThat(scores(new ServerGroupAffinityPlugin(), HOSTS, request)).containsExactly(100.0, 50.0, 0.0);
    }

    @Test
    void softAntiAffinityPrefersHostsWithFewerMembers() {
        var request = request(ServerGroupPolicy.SOFT_ANTI_AFFINITY, 1, List.of("a", "a", "b"));

        assertThat(scores(new ServerGroupAffinityPlugin(), HOSTS, request)).containsExactly(0.0, 50.0, 100.0);
    }

    @Test
    void hardPoliciesDoNotScore() {
        assertThat(scores(
                        new ServerGroupAffinityPlugin(), HOSTS, request(ServerGroupPolicy.ANTI_AFFINITY, 1, List.of())))
                .isNull();
    }

    @Test
    void reserveAndUnreserveAreIdempotentPerMember() {
        var plugin = new ServerGroupAffinityPlugin();
        var state = new CycleState(HOSTS, request(ServerGroupPolicy.ANTI_AFFINITY, 1, List.of()), 2);
        plugin.preFilter(state);

        state.startMember(0);
        plugin.reserve(state, 0);
        plugin.reserve(state, 0);
        assertThat(PluginHarness.retained(plugin, state)).containsExactly(1, 2);

        plugin.reserve(state, 1); // the same member moves from a to b
        assertThat(PluginHarness.retained(plugin, state)).containsExactly(0, 2);

        plugin.unreserve(state, 0); // not where member 0 is: nothing happens
        assertThat(PluginHarness.retained(plugin, state)).containsExactly(0, 2);

        plugin.unreserve(state, 1);
        plugin.unreserve(state, 1);
        assertThat(PluginHarness.retained(plugin, state)).containsExactly(0, 1, 2);
    }

    @Test
    void aReservedMemberStartsAnAffinityGroup() {
        var plugin = new ServerGroupAffinityPlugin();
        var state = new CycleState(HOSTS, request(ServerGroupPolicy.AFFINITY, 1, List.of()), 3);
        plugin.preFilter(state);

        state.startMember(0);
        plugin.reserve(state, 2);
        state.startMember(1);

        assertThat(PluginHarness.retained(plugin, state)).containsExactly(2);
        assertThat(plugin.filter(state, 0).reason()).isEqualTo(NOT_WITH_GROUP);
    }

    private static PlacementRequest request(ServerGroupPolicy policy, int maxPerHost, List<String> members) {
        return io.vireo.scheduler.testing.TestHosts.request()
                .serverGroup(new ServerGroup(
                        policy,
                        maxPerHost,
                        members.stream().map(name -> id(name)).toList()))
                .build();
    }
}
