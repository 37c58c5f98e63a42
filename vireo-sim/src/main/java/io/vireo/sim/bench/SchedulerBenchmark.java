package io.vireo.sim.bench;

import io.vireo.sim.bench.controlplane.ControlPlaneBenchmark;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./vireo bench scheduler [--quick] [--seed N]}: placement speed on prefilled clusters and packing quality of
 * an arrival sequence, Vireo's profiles side by side with CloudSim Plus 8.5.5. Progress goes to stderr; stdout gets a
 * docs/benchmarks.md section and, last, a one-line JSON summary.
 */
public final class SchedulerBenchmark {
    /** The hidden first argument of a forked JVM that times one placement case (see {@link ThroughputFork}). */
    static final String THROUGHPUT_CASE = "--throughput-case";

    private SchedulerBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("vm")) {
            VmBenchmark.main(args);
            return;
        }
        if (args.length > 0 && args[0].equals("control-plane")) {
            ControlPlaneBenchmark.main(args);
            return;
        }
        if (args.length == 4 && args[0].equals(THROUGHPUT_CASE)) {
            ThroughputResult row = new ThroughputRun()
                    .run(Integer.parseInt(args[1]), Double.parseDouble(args[2]), Long.parseLong(args[3]));
            System.out.println(ThroughputFork.encode(row));
            return;
        }
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Report report = run(options, System.err);
        System.out.println(report.markdown());
        System.out.println(report.json());
    }

    static Report run(BenchmarkOptions options, PrintStream progress) {
        MachineFacts machine = MachineFacts.now();
        long start = System.nanoTime();
        progress.printf("vireo bench scheduler, seed %d (replay: %s)%n", options.seed(), options.command());
        progress.println(machine.describe());
        List<ThroughputResult> throughput = new ArrayList<>();
        for (int hosts : options.hostCounts()) {
            for (double prefill : options.prefills()) {
                ThroughputResult row = ThroughputFork.run(hosts, prefill, options.seed());
                progress.printf(
                        Locale.ROOT,
                        "%,d hosts, %d%% prefill: %,.0f placements/s (2 threads %,.0f), p50 %.1f µs, p99 %.1f µs,"
                                + " %.1f ns per host%n",
                        hosts,
                        row.prefillPercent(),
                        row.placementsPerSecond(),
                        row.placementsPerSecondTwoThreads(),
                        row.p50Micros(),
                        row.p99Micros(),
                        row.nsPerHostEvaluated());
                throughput.add(row);
            }
        }
        PackingRun.Result packing =
                new PackingRun().run(options.packingVms(), options.headToHeadVms(), options.seed(), progress);
        return new Report(options, machine, throughput, packing, (System.nanoTime() - start) / 1e9);
    }
}
