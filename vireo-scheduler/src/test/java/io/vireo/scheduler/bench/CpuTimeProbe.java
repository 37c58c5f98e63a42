package io.vireo.scheduler.bench;

import io.vireo.common.IdGenerator;
import io.vireo.model.Resources;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.framework.PlacementWorkspace;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.framework.SchedulingFramework;
import io.vireo.scheduler.plugins.InTreePlugins;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.testing.ClusterGenerator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A rough companion to {@link PlacementBenchmark} for shared, overloaded machines: measures the placing thread's CPU
 * time (not wall time, which there mostly measures other processes) per host evaluated, for the plain request of the
 * benchmark. Arguments: the profile (default {@code default}), then cluster sizes (default 1,000, 10,000 and 50,000).
 * Prints one line per cluster size: the median of 7 rounds after warm-up. JMH on a quiet machine is the
 * reference; this only tells whether the hot path is in the right range.
 */
public final class CpuTimeProbe {
    private CpuTimeProbe() {}

    public static void main(String[] args) {
        String profile = args.length > 0 ? args[0] : "default";
        int[] sizes = args.length > 1
                ? Arrays.stream(args, 1, args.length)
                        .mapToInt(Integer::parseInt)
                        .toArray()
                : new int[] {1_000, 10_000, 50_000};
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int hosts : sizes) {
            SplittableRandom seeded = new SplittableRandom(7);
            ClusterSnapshot snapshot = ClusterSnapshot.of(new ClusterGenerator(seeded).hosts(hosts));
            PlacementRequest request = PlacementRequest.builder(
                            IdGenerator.seeded(seeded).next(), new Resources(2, 4_096, 20))
                    .build();
            SchedulingFramework framework = InTreePlugins.framework(SchedulerSettings.DEFAULT.withProfile(profile));
            PlacementWorkspace workspace = new PlacementWorkspace();
            SplittableRandom random = new SplittableRandom(42);
            int iterations = Math.max(20, 2_000_000 / hosts);
            for (int i = 0; i < iterations * 10; i++) {
                framework.place(snapshot, request, random, workspace);
            }
            double[] rounds = new double[7];
            for (int round = 0; round < rounds.length; round++) {
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < iterations; i++) {
                    framework.place(snapshot, request, random, workspace);
                }
                rounds[round] = (threads.getCurrentThreadCpuTime() - start) / (double) iterations / hosts;
            }
            Arrays.sort(rounds);
            System.out.printf(
                    Locale.ROOT,
                    "%s profile, %,d hosts: %.1f ns CPU per host evaluated (rounds %.1f..%.1f)%n",
                    profile,
                    hosts,
                    rounds[3],
                    rounds[0],
                    rounds[6]);
        }
    }
}
