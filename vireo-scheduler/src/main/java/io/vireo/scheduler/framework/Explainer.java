package io.vireo.scheduler.framework;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link Explanation}s. Runs only when a placement failed, so it may allocate. It runs the active filters'
 * batch forms over blocks of hosts in profile order, as the hot path does, and asks the filter that dropped a host its
 * per-host {@link FilterPlugin#filter} for the reason: each host is counted once, against the first filter that
 * rejects it, with one per-host call instead of one per filter.
 */
final class Explainer {
    private final FilterPlugin[] filters;

    Explainer(FilterPlugin[] filters) {
        this.filters = filters;
    }

    Explanation noFeasibleHost(CycleState state, boolean[] filterActive) {
        int n = state.snapshot().hostCount();
        List<Map<String, int[]>> reasonsByFilter = new ArrayList<>();
        for (int f = 0; f < filters.length; f++) {
            reasonsByFilter.add(new LinkedHashMap<>());
        }
        int[] block = new int[PlacementWorkspace.BLOCK_SIZE];
        int[] before = new int[PlacementWorkspace.BLOCK_SIZE];
        for (int from = 0; from < n; from += PlacementWorkspace.BLOCK_SIZE) {
            int count = Math.min(PlacementWorkspace.BLOCK_SIZE, n - from);
            for (int i = 0; i < count; i++) {
                block[i] = from + i;
            }
            for (int f = 0; f < filters.length && count > 0; f++) {
                if (filterActive[f]) {
                    System.arraycopy(block, 0, before, 0, count);
                    int kept = filters[f].retainFeasible(state, block, count);
                    countDropped(state, filterActive, f, before, count, block, kept, reasonsByFilter);
                    count = kept;
                }
            }
        }
        List<Explanation.Rejection> rejections = new ArrayList<>();
        for (int f = 0; f < filters.length; f++) {
            if (!reasonsByFilter.get(f).isEmpty()) {
                rejections.add(rejection(filters[f].name(), reasonsByFilter.get(f)));
            }
        }
        return new Explanation(n, state.member(), state.gangSize(), rejections);
    }

    /**
     * Counts the hosts of {@code before[0..count)} that filter {@code f} dropped ({@code kept[0..keptCount)} is what it
     * kept, in order) under the reason its per-host {@code filter} gives. Should the two forms disagree about a host,
     * the per-host forms of the later filters decide, as if the batch form had kept it.
     */
    private void countDropped(
            CycleState state,
            boolean[] filterActive,
            int f,
            int[] before,
            int count,
            int[] kept,
            int keptCount,
            List<Map<String, int[]>> reasonsByFilter) {
        int k = 0;
        for (int i = 0; i < count; i++) {
            int host = before[i];
            if (k < keptCount && kept[k] == host) {
                k++;
                continue;
            }
            for (int g = f; g < filters.length; g++) {
                if (!filterActive[g]) {
                    continue;
                }
                Status status = filters[g].filter(state, host);
                if (!status.isSuccess()) {
                    reasonsByFilter.get(g).computeIfAbsent(status.reason(), r -> new int[1])[0]++;
                    break;
                }
            }
        }
    }

    /** Every host rejected by one status: a PreFilter that found no host can fit, or a failed reservation. */
    static Explanation allRejected(CycleState state, Status status, int hosts) {
        Explanation.Rejection rejection = new Explanation.Rejection(
                status.plugin(), hosts, List.of(new Explanation.Reason(status.reason(), hosts)));
        return new Explanation(state.snapshot().hostCount(), state.member(), state.gangSize(), List.of(rejection));
    }

    private static Explanation.Rejection rejection(String plugin, Map<String, int[]> reasons) {
        List<Explanation.Reason> list = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, int[]> entry : reasons.entrySet()) {
            list.add(new Explanation.Reason(entry.getKey(), entry.getValue()[0]));
            total += entry.getValue()[0];
        }
        list.sort(Comparator.comparingInt(Explanation.Reason::hosts)
                .reversed()
                .thenComparing(Explanation.Reason::reason));
        return new Explanation.Rejection(plugin, total, list);
    }
}
