package io.vireo.sim.bench;

import static java.util.Objects.requireNonNull;

import io.vireo.scheduler.plugins.DefaultProfiles;
import io.vireo.sim.cloudsim.CloudSimPacking;
import io.vireo.sim.packing.PackingResult;
import io.vireo.sim.workload.ClusterBuilder;
import io.vireo.sim.workload.WorkloadGenerator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders a run as a docs/benchmarks.md section and as the one-line JSON summary printed last. */
record Report(
        BenchmarkOptions options,
        MachineFacts machine,
        List<ThroughputResult> throughput,
        PackingRun.Result packing,
        double elapsedSeconds) {
    Report {
        requireNonNull(options, "options is null");
        requireNonNull(machine, "machine is null");
        throughput = List.copyOf(throughput);
        requireNonNull(packing, "packing is null");
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("## Scheduler: `./vireo bench scheduler` (vireo-sim), side by side with CloudSim Plus 8.5.5\n\n");
        out.append("Machine: ").append(machine.describe()).append(".\n\n");
        out.append("Command: `")
                .append(options.command())
                .append("` (")
                .append(String.format(Locale.ROOT, "%.0f", elapsedSeconds));
        out.append(" s in total).\n\n");
        out.append("Workload (seed ").append(options.seed()).append("): ").append(ClusterBuilder.PREFILL_DISTRIBUTION);
        out.append(". VM mix: ").append(WorkloadGenerator.DISTRIBUTION).append(".\n\n");
        out.append("Placement speed, profile `default`, full scan, every decision on the same prefilled snapshot, each "
                + "row in a JVM of its own (as JMH forks); two ");
        out.append("threads each have their own workspace. Decisions that find no host (VMs too large for the fill) ");
        out.append("are timed too, and counted under \"no host\". Rates and percentiles are wall time; ns per host ");
        out.append("evaluated is the thread CPU time of a decision that placed a VM (it excludes the explanation of ");
        out.append("the others, and time spent waiting for a core) divided by the host count:\n\n");
        out.append("| hosts | prefill | decisions | no host | per second, 1 thread | per second, 2 threads | p50 µs ");
        out.append("| p99 µs | ns per host evaluated |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (ThroughputResult row : throughput) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d | %d%% | %,d | %,d | %,.0f | %,.0f | %.1f | %.1f | %.1f |%n",
                    row.hosts(),
                    row.prefillPercent(),
                    row.placementsPerThread(),
                    row.unplaced(),
                    row.placementsPerSecond(),
                    row.placementsPerSecondTwoThreads(),
                    row.p50Micros(),
                    row.p99Micros(),
                    row.nsPerHostEvaluated()));
        }
        appendPacking(out);
        return out.toString();
    }

    private void appendPacking(StringBuilder out) {
        out.append(String.format(
                Locale.ROOT,
                "%nPacking: %,d VMs arriving one by one on %,d empty hosts; lower bound %,d hosts (max over the four "
                        + "classes of ceil(total demand / host capacity)); offline first-fit-decreasing baseline "
                        + "(by dominant share) %,d hosts (%.3f x bound). CloudSim Plus placers are called directly "
                        + "(`allocateHostForVm`), only those calls timed.%n%n",
                packing.vms(),
                packing.clusterHosts(),
                packing.lowerBound(),
                packing.firstFitDecreasingHosts(),
                packing.firstFitDecreasingHosts() / (double) packing.lowerBound()));
        out.append("| placer | hosts used | / lower bound | unplaced | µs per placement |\n");
        out.append("| --- | --- | --- | --- | --- |\n");
        for (PackingResult placer : packing.placers()) {
            String name = placer.placer().startsWith("CloudSim") ? placer.placer() : "Vireo `" + placer.placer() + "`";
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %.3f | %,d | %.1f |%n",
                    name,
                    placer.hostsUsed(),
                    placer.hostsUsed() / (double) packing.lowerBound(),
                    placer.unplaced(),
                    placer.microsPerPlacement()));
        }
        appendHeadToHead(out, packing.headToHead());
    }

    private static void appendHeadToHead(StringBuilder out, PackingRun.HeadToHead duel) {
        out.append(String.format(
                Locale.ROOT,
                "%nHead to head with CloudSim Plus best fit (capped: its scan costs several hundred ns per host, so the "
                        + "whole sequence would take a quarter of an hour): the first %,d VMs of the same sequence on "
                        + "%,d empty hosts, lower bound %,d.%n%n",
                duel.vms(),
                duel.clusterHosts(),
                duel.lowerBound()));
        out.append("| placer | hosts used | / lower bound | unplaced | µs per placement |\n");
        out.append("| --- | --- | --- | --- | --- |\n");
        for (PackingResult placer : List.of(duel.vireoPack(), duel.bestFit())) {
            String name = placer.placer().startsWith("CloudSim") ? placer.placer() : "Vireo `" + placer.placer() + "`";
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %.3f | %,d | %.1f |%n",
                    name,
                    placer.hostsUsed(),
                    placer.hostsUsed() / (double) duel.lowerBound(),
                    placer.unplaced(),
                    placer.microsPerPlacement()));
        }
        out.append(String.format(
                Locale.ROOT,
                "%nVireo `pack` / CloudSim Plus best fit: %.3f x the time per placement, %.3f x the hosts used.%n",
                duel.vireoPack().microsPerPlacement() / duel.bestFit().microsPerPlacement(),
                duel.vireoPack().hostsUsed() / (double) duel.bestFit().hostsUsed()));
    }

    String json() {
        String rows = throughput.stream()
                .map(row -> String.format(
                        Locale.ROOT,
                        "{\"hosts\":%d,\"prefillPercent\":%d,\"placements\":%d,\"placementsPerSecond\":%.1f,"
                                + "\"placementsPerSecondTwoThreads\":%.1f,\"p50Micros\":%.2f,\"p99Micros\":%.2f,"
                                + "\"nsPerHostEvaluated\":%.2f,\"unplaced\":%d}",
                        row.hosts(),
                        row.prefillPercent(),
                        row.placementsPerThread(),
                        row.placementsPerSecond(),
                        row.placementsPerSecondTwoThreads(),
                        row.p50Micros(),
                        row.p99Micros(),
                        row.nsPerHostEvaluated(),
                        row.unplaced()))
                .collect(Collectors.joining(","));
        String placers = packing.placers().stream()
                .map(placer -> String.format(
                        Locale.ROOT,
                        "\"%s\":{\"hosts\":%d,\"unplaced\":%d,\"microsPerPlacement\":%.2f}",
                        placer.placer(),
                        placer.hostsUsed(),
                        placer.unplaced(),
                        placer.microsPerPlacement()))
                .collect(Collectors.joining(","));
        PackingRun.HeadToHead duel = packing.headToHead();
        return String.format(
                Locale.ROOT,
                "{\"seed\":%d,\"quick\":%b,\"hosts\":%s,\"placement\":[%s],\"packingVms\":%d,\"packingClusterHosts\":%d,"
                        + "\"lowerBoundHosts\":%d,\"firstFitDecreasingHosts\":%d,\"vireoPackHosts\":%d,"
                        + "\"packHostsOverLowerBound\":%.4f,\"headToHeadVms\":%d,\"headToHeadLowerBoundHosts\":%d,"
                        + "\"headToHeadVireoPackHosts\":%d,\"vireoMicrosPerPlacement\":%.2f,"
                        + "\"cloudsimBestFitHosts\":%d,\"cloudsimBestFitMicrosPerPlacement\":%.2f,"
                        + "\"cloudsimFirstFitHosts\":%d,\"cloudsimFirstFitMicrosPerPlacement\":%.2f,"
                        + "\"vireoOverCloudsimBestFitTime\":%.4f,\"vireoOverCloudsimBestFitHosts\":%.4f,"
                        + "\"placers\":{%s},\"elapsedSeconds\":%.1f}",
                options.seed(),
                options.quick(),
                options.hostCounts(),
                rows,
                packing.vms(),
                packing.clusterHosts(),
                packing.lowerBound(),
                packing.firstFitDecreasingHosts(),
                vireoPack().hostsUsed(),
                vireoPack().hostsUsed() / (double) packing.lowerBound(),
                duel.vms(),
                duel.lowerBound(),
                duel.vireoPack().hostsUsed(),
                duel.vireoPack().microsPerPlacement(),
                duel.bestFit().hostsUsed(),
                duel.bestFit().microsPerPlacement(),
                packing.placer(CloudSimPacking.FIRST_FIT).hostsUsed(),
                packing.placer(CloudSimPacking.FIRST_FIT).microsPerPlacement(),
                duel.vireoPack().microsPerPlacement() / duel.bestFit().microsPerPlacement(),
                duel.vireoPack().hostsUsed() / (double) duel.bestFit().hostsUsed(),
                placers,
                elapsedSeconds);
    }

    private PackingResult vireoPack() {
        return packing.placer(DefaultProfiles.PACK);
    }
}
