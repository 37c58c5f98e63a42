package io.vireo.scheduler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.FilterPlugin;
import io.vireo.scheduler.framework.Plugin;
import io.vireo.scheduler.framework.PreFilterPlugin;
import io.vireo.scheduler.framework.ScorePlugin;
import io.vireo.scheduler.framework.Status;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;

/** Runs one plugin's extension points by hand, as the framework would. */
public final class PluginHarness {
    /** What {@link #verdicts} reports for an accepted host. */
    public static final String OK = "ok";

    private PluginHarness() {}

    /** The PreFilter's status, or SUCCESS for a plugin without one. */
    public static Status preFilter(Plugin plugin, CycleState state) {
        return plugin instanceof PreFilterPlugin pre ? pre.preFilter(state) : Status.SUCCESS;
    }

    /**
     * Per host, {@link #OK} or the reason the filter gives; "skip" for every host if its PreFilter said SKIP, or the
     * PreFilter's reason if it rejected. Also checks that the batch form keeps exactly the hosts the per-host form
     * accepts, in order.
     */
    public static List<String> verdicts(FilterPlugin plugin, ClusterSnapshot snapshot, PlacementRequest request) {
        CycleState state = new CycleState(snapshot, request);
        Status pre = preFilter(plugin, state);
        int n = snapshot.hostCount();
        if (!pre.isSuccess()) {
            String verdict = pre.isSkip() ? "skip" : pre.reason();
            return java.util.Collections.nCopies(n, verdict);
        }
        List<String> verdicts = new ArrayList<>();
        List<Integer> accepted = new ArrayList<>();
        for (int host = 0; host < n; host++) {
            Status status = plugin.filter(state, host);
            verdicts.add(status.isSuccess() ? OK : status.reason());
            if (status.isSuccess()) {
                accepted.add(host);
            } else {
                assertThat(status.plugin()).isEqualTo(plugin.name());
            }
        }
        assertThat(retained(plugin, state))
                .as("batch form of %s", plugin.name())
                .isEqualTo(accepted);
        return verdicts;
    }

    /** The hosts {@link FilterPlugin#retainFeasible} keeps of all hosts. */
    public static List<Integer> retained(FilterPlugin plugin, CycleState state) {
        int n = state.snapshot().hostCount();
        int[] hosts = new int[n];
        for (int i = 0; i < n; i++) {
            hosts[i] = i;
        }
        int kept = plugin.retainFeasible(state, hosts, n);
        List<Integer> result = new ArrayList<>();
        for (int i = 0; i < kept; i++) {
            result.add(hosts[i]);
        }
        return result;
    }

    /** Normalised scores of every host, or null if PreFilter or PreScore said SKIP. */
    public static double @org.jspecify.annotations.Nullable [] scores(
            ScorePlugin plugin, ClusterSnapshot snapshot, PlacementRequest request) {
        CycleState state = new CycleState(snapshot, request);
        preFilter(plugin, state);
        if (!plugin.preScore(state).isSuccess()) {
            return null;
        }
        int n = snapshot.hostCount();
        int[] hosts = new int[n];
        for (int i = 0; i < n; i++) {
            hosts[i] = i;
        }
        double[] scores = new double[n];
        plugin.score(state, hosts, n, scores);
        plugin.normalize(state, scores, n);
        for (double score : scores) {
            assertThat(score).isBetween(0.0, ScorePlugin.MAX_SCORE);
        }
        return scores;
    }
}
