package io.vireo.scheduler.framework;

import io.vireo.scheduler.snapshot.ClusterSnapshot;
import java.util.random.RandomGenerator;

/**
 * The hot path of one scheduling cycle: filters over blocks of hosts, then weighted scores over the feasible ones, then
 * the best total. Allocates nothing: every array comes from the {@link PlacementWorkspace}.
 *
 * <p>Determinism: the only randomness is the sampling start (when sampling) and the tie-break offset, both drawn from
 * the given generator in a fixed order, so the same seed gives the same host. Among equal totals the host at or after
 * the tie-break offset (wrapping) wins, which spreads concurrent schedulers over equally good hosts.
 *
 * <p>Thread-safe: holds only the framework's immutable plugin arrays.
 */
final class CycleRunner {
    private final FilterPlugin[] filters;
    private final ScorePlugin[] scorers;
    private final double[] weights;
    private final SchedulerSettings settings;

    CycleRunner(FilterPlugin[] filters, ScorePlugin[] scorers, double[] weights, SchedulerSettings settings) {
        this.filters = filters;
        this.scorers = scorers;
        this.weights = weights;
        this.settings = settings;
    }

    /** The chosen host's number, or -1 if no host passes the active filters. */
    int scheduleOne(
            CycleState state,
            boolean[] filterActive,
            boolean[] scoreActive,
            PlacementWorkspace workspace,
            RandomGenerator random) {
        ClusterSnapshot snapshot = state.snapshot();
        int n = snapshot.hostCount();
        if (n == 0) {
            return -1;
        }
        int start = settings.sampling() ? random.nextInt(n) : 0;
        int tieOffset = random.nextInt(n);
        workspace.ensureHosts(n);
        state.lend(workspace.scratch, workspace.shareSums);
        int feasible = findFeasible(state, filterActive, workspace, start, settings.feasibleTarget(n));
        if (feasible <= 1) {
            return feasible == 0 ? -1 : workspace.feasible[0];
        }
        scoreFeasible(state, scoreActive, workspace, feasible);
        return best(workspace.feasible, workspace.totals, feasible, tieOffset, n);
    }

    /** Filters blocks of hosts from {@code start}, wrapping, until {@code target} are feasible or all were seen. */
    private int findFeasible(
            CycleState state, boolean[] filterActive, PlacementWorkspace workspace, int start, int target) {
        int n = state.snapshot().hostCount();
        int[] block = workspace.block;
        int[] feasible = workspace.feasible;
        int found = 0;
        for (int scanned = 0; scanned < n && found < target; scanned += PlacementWorkspace.BLOCK_SIZE) {
            int length = Math.min(PlacementWorkspace.BLOCK_SIZE, n - scanned);
            int host = start + scanned;
            if (host >= n) {
                host -= n;
            }
            for (int i = 0; i < length; i++) {
                block[i] = host;
                host = host + 1 == n ? 0 : host + 1;
            }
            int count = length;
            for (int f = 0; f < filters.length && count > 0; f++) {
                if (filterActive[f]) {
                    count = filters[f].retainFeasible(state, block, count);
                }
            }
            System.arraycopy(block, 0, feasible, found, count);
            found += count;
        }
        return found;
    }

    /** Weighted sum of the active scorers' normalised scores; the first one writes the totals, the rest add. */
    private void scoreFeasible(CycleState state, boolean[] scoreActive, PlacementWorkspace workspace, int count) {
        double[] totals = workspace.totals;
        double[] scores = workspace.scores;
        state.startScoring();
        try {
            addScores(state, scoreActive, workspace, count, totals, scores);
        } finally {
            state.endScoring();
        }
    }

    private void addScores(
            CycleState state,
            boolean[] scoreActive,
            PlacementWorkspace workspace,
            int count,
            double[] totals,
            double[] scores) {
        boolean first = true;
        for (int s = 0; s < scorers.length; s++) {
            if (!scoreActive[s]) {
                continue;
            }
            scorers[s].score(state, workspace.feasible, count, scores);
            scorers[s].normalize(state, scores, count);
            double weight = weights[s];
            if (first) {
                for (int i = 0; i < count; i++) {
                    totals[i] = weight * scores[i];
                }
                first = false;
            } else {
                for (int i = 0; i < count; i++) {
                    totals[i] += weight * scores[i];
                }
            }
        }
        if (first) {
            java.util.Arrays.fill(totals, 0, count, 0.0);
        }
    }

    /** The host with the highest total; ties go to the first at or after {@code tieOffset}; NaN never wins. */
    private static int best(int[] hosts, double[] totals, int count, int tieOffset, int n) {
        int bestHost = hosts[0];
        double bestTotal = Double.NEGATIVE_INFINITY;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            int host = hosts[i];
            double total = totals[i];
            int rank = host - tieOffset;
            rank += (rank >> 31) & n; // wraps below the offset without a branch
            if (total > bestTotal || (total == bestTotal && rank < bestRank)) {
                bestHost = host;
                bestTotal = total;
                bestRank = rank;
            }
        }
        return bestHost;
    }
}
