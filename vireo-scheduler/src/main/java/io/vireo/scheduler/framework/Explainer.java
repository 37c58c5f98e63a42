package io.vireo.scheduler.framework;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link Explanation}s. Runs only when a placement failed, so it may allocate: it asks each active filter's
 * reference {@link FilterPlugin#filter} about every host, in profile order, and counts each host against the first
 * filter that rejects it, by reason.
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
        for (int host = 0; host < n; host++) {
            for (int f = 0; f < filters.length; f++) {
                if (!filterActive[f]) {
                    continue;
                }
                Status status = filters[f].filter(state, host);
                if (!status.isSuccess()) {
                    reasonsByFilter.get(f).computeIfAbsent(status.reason(), r -> new int[1])[0]++;
                    break;
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
