package io.vireo.sim.bench;

import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.framework.PlacementOutcome;
import io.vireo.scheduler.framework.PlacementWorkspace;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.framework.SchedulingFramework;
import io.vireo.scheduler.plugins.DefaultProfiles;
import io.vireo.scheduler.plugins.InTreePlugins;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.sim.packing.VireoPacking;
import io.vireo.sim.workload.ClusterBuilder;
import io.vireo.sim.workload.WorkloadGenerator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times placement decisions on a prefilled cluster. Every decision is taken on the same prefilled snapshot (its claim
 * is computed, as always, but not carried forward), so a small cluster does not fill up over a run and the prefill
 * stays what the row says. Decisions that find no host (large VMs on a full cluster) are counted and timed too: they
 * include the explanation pass. Rates and percentiles are wall-clock ({@link System#nanoTime()}); ns per host evaluated
 * is the thread CPU time of the decisions that placed a VM, divided by the host count: a decision that finds no host
 * also explains itself, which is not evaluating hosts, and on a shared machine wall time counts other processes too.
 * Timing is the harness's business, not the scheduler's.
 */
final class ThroughputRun {
    /** Scanned hosts per run and thread: runs on big clusters get fewer placements. */
    static final long HOST_EVALUATIONS_PER_RUN = 50_000_000L;

    static final int MIN_PLACEMENTS = 500;
    static final int MAX_PLACEMENTS = 20_000;

    /** One-thread passes over a warm-up sequence, then one two-thread pass, before anything is timed. */
    static final int WARM_UP_PASSES = 3;

    private final SchedulingFramework framework =
            InTreePlugins.framework(SchedulerSettings.DEFAULT.withProfile(DefaultProfiles.DEFAULT));

    ThroughputResult run(int hosts, double prefill, long seed) {
        ClusterSnapshot snapshot =
                ClusterSnapshot.of(new ClusterBuilder(new SplittableRandom(seed)).hosts(hosts, prefill));
        int count = Math.clamp(HOST_EVALUATIONS_PER_RUN / hosts, MIN_PLACEMENTS, MAX_PLACEMENTS);
        List<PlacementRequest> first = requests(count, seed + 1);
        List<PlacementRequest> second = requests(count, seed + 2);
        List<PlacementRequest> warmUp = requests(count, seed + 3);
        for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
            timed(snapshot, warmUp, seed);
        }
        twoThreads(snapshot, warmUp, warmUp, seed);
        Timing timing = timed(snapshot, first, seed);
        long[] latencies = timing.latencies().clone();
        long oneThreadNanos = Arrays.stream(latencies).sum();
        long twoThreadNanos = twoThreads(snapshot, first, second, seed);
        Arrays.sort(latencies);
        return new ThroughputResult(
                hosts,
                (int) Math.round(prefill * 100),
                count,
                count / (oneThreadNanos / 1e9),
                2 * count / (twoThreadNanos / 1e9),
                percentile(latencies, 0.50) / 1_000.0,
                percentile(latencies, 0.99) / 1_000.0,
                timing.placedCpuNanosMean() / hosts,
                timing.unplaced());
    }

    private static List<PlacementRequest> requests(int count, long seed) {
        return VireoPacking.requests(new WorkloadGenerator(new SplittableRandom(seed)).vms(count), seed);
    }

    /**
     * Per decision its wall-clock nanoseconds and, for the decisions that placed a VM, the mean thread CPU time; how
     * many decisions found no host.
     */
    private static final class Timing {
        private final long[] latencies;
        private final double placedCpuNanosMean;
        private final int unplaced;

        Timing(long[] latencies, double placedCpuNanosMean, int unplaced) {
            this.latencies = latencies;
            this.placedCpuNanosMean = placedCpuNanosMean;
            this.unplaced = unplaced;
        }

        long[] latencies() {
            return latencies;
        }

        double placedCpuNanosMean() {
            return placedCpuNanosMean;
        }

        int unplaced() {
            return unplaced;
        }
    }

    /**
     * Wall time per decision from {@link System#nanoTime()}; CPU time from the thread's CPU clock, which does not count
     * time the thread waited for a core, so that ns per host evaluated stays meaningful on a shared machine.
     */
    private Timing timed(ClusterSnapshot start, List<PlacementRequest> requests, long seed) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        PlacementWorkspace workspace = new PlacementWorkspace();
        SplittableRandom random = new SplittableRandom(seed);
        long[] latencies = new long[requests.size()];
        long placedCpuNanos = 0;
        int unplaced = 0;
        for (int i = 0; i < latencies.length; i++) {
            long cpuBegin = threads.getCurrentThreadCpuTime();
            long begin = System.nanoTime();
            PlacementOutcome outcome = framework.place(start, requests.get(i), random, workspace);
            latencies[i] = System.nanoTime() - begin;
            long cpu = threads.getCurrentThreadCpuTime() - cpuBegin;
            if (outcome instanceof PlacementOutcome.Unschedulable) {
                unplaced++;
            } else {
                placedCpuNanos += cpu;
            }
        }
        int placed = latencies.length - unplaced;
        return new Timing(latencies, placed == 0 ? Double.NaN : placedCpuNanos / (double) placed, unplaced);
    }

    private long twoThreads(
            ClusterSnapshot snapshot, List<PlacementRequest> first, List<PlacementRequest> second, long seed) {
        Thread a = Thread.ofPlatform().unstarted(() -> timed(snapshot, first, seed));
        Thread b = Thread.ofPlatform().unstarted(() -> timed(snapshot, second, seed + 1));
        long begin = System.nanoTime();
        a.start();
        b.start();
        try {
            a.join();
            b.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while timing two threads", e);
        }
        return System.nanoTime() - begin;
    }

    private static long percentile(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.clamp(index, 0, sorted.length - 1)];
    }
}
