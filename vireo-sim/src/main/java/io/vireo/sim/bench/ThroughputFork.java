package io.vireo.sim.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs each placement case in a JVM of its own, as JMH forks: the JIT compiles the scheduler's loops for the profile of
 * the case it times, not for the cluster sizes timed before it in the same process (one process timing 1,000 hosts
 * first made the 10,000-host, 85% case almost twice as slow per host as in a process of its own). The child is this
 * jar's main class with {@link SchedulerBenchmark#THROUGHPUT_CASE} and the same JVM options; it prints one line.
 */
final class ThroughputFork {
    private ThroughputFork() {}

    static ThroughputResult run(int hosts, double prefill, long seed) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SchedulerBenchmark.class.getName());
        command.add(SchedulerBenchmark.THROUGHPUT_CASE);
        command.add(Integer.toString(hosts));
        command.add(Double.toString(prefill));
        command.add(Long.toString(seed));
        try {
            Process child = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = child.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("the forked placement case exited with " + exit + ": " + output);
            }
            return decode(output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot fork the placement case: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while timing a placement case", e);
        }
    }

    static String encode(ThroughputResult row) {
        return String.format(
                Locale.ROOT,
                "%d %d %d %s %s %s %s %s %d",
                row.hosts(),
                row.prefillPercent(),
                row.placementsPerThread(),
                Double.toString(row.placementsPerSecond()),
                Double.toString(row.placementsPerSecondTwoThreads()),
                Double.toString(row.p50Micros()),
                Double.toString(row.p99Micros()),
                Double.toString(row.nsPerHostEvaluated()),
                row.unplaced());
    }

    static ThroughputResult decode(String line) {
        String[] last =
                line.lines().reduce((first, second) -> second).orElse("").split(" ");
        if (last.length != 9) {
            throw new IllegalStateException("unexpected output of the forked placement case: " + line);
        }
        return new ThroughputResult(
                Integer.parseInt(last[0]),
                Integer.parseInt(last[1]),
                Integer.parseInt(last[2]),
                Double.parseDouble(last[3]),
                Double.parseDouble(last[4]),
                Double.parseDouble(last[5]),
                Double.parseDouble(last[6]),
                Double.parseDouble(last[7]),
                Integer.parseInt(last[8]));
    }
}
