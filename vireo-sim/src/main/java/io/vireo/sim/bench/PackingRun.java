package io.vireo.sim.bench;

import io.vireo.scheduler.plugins.DefaultProfiles;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.sim.cloudsim.CloudSimPacking;
import io.vireo.sim.packing.BenchmarkProfiles;
import io.vireo.sim.packing.FirstFitDecreasing;
import io.vireo.sim.packing.LowerBound;
import io.vireo.sim.packing.PackingResult;
import io.vireo.sim.packing.VireoPacking;
import io.vireo.sim.workload.ClusterBuilder;
import io.vireo.sim.workload.Shape;
import io.vireo.sim.workload.WorkloadGenerator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One arrival sequence on an initially empty cluster of {@link #CLUSTER_HEADROOM} times the lower bound, through every
 * Vireo profile, the first-fit-decreasing baseline and CloudSim Plus's first fit. CloudSim Plus's best fit costs time
 * linear in the hosts per placement at several hundred ns per host, so the whole sequence would take a quarter of an
 * hour: it runs head to head with Vireo {@code pack} on the first {@code headToHeadVms} VMs of the same sequence, on a
 * cluster sized the same way for that prefix.
 */
final class PackingRun {
    /** Cluster size over the lower bound: room for every placer to fit the whole sequence. */
    static final double CLUSTER_HEADROOM = 1.3;

    /** VMs and hosts of the warm-up run before any timed one. */
    static final int WARM_UP_VMS = 5_000;

    /** Vireo {@code pack} and CloudSim Plus best fit on the same prefix of the sequence. */
    record HeadToHead(int vms, int clusterHosts, long lowerBound, PackingResult vireoPack, PackingResult bestFit) {}

    record Result(
            int vms,
            int clusterHosts,
            long lowerBound,
            int firstFitDecreasingHosts,
            List<PackingResult> placers,
            HeadToHead headToHead) {
        Result {
            placers = List.copyOf(placers);
        }

        PackingResult placer(String name) {
            return placers.stream()
                    .filter(placer -> placer.placer().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no placer " + name));
        }
    }

    Result run(int vmCount, int headToHeadVms, long seed, PrintStream progress) {
        List<Shape> vms = new WorkloadGenerator(new SplittableRandom(seed)).vms(vmCount);
        long lowerBound = LowerBound.hosts(vms, Shape.HOST);
        int clusterHosts = clusterHosts(lowerBound);
        warmUp(seed, progress);
        progress.printf("packing %,d VMs on %,d empty hosts (lower bound %,d)%n", vmCount, clusterHosts, lowerBound);
        int ffd = FirstFitDecreasing.hosts(vms, Shape.HOST);
        ClusterSnapshot empty =
                ClusterSnapshot.of(new ClusterBuilder(new SplittableRandom(seed)).hosts(clusterHosts, 0));
        List<PackingResult> placers = new ArrayList<>();
        for (String profile : BenchmarkProfiles.NAMES) {
            placers.add(report(progress, VireoPacking.place(profile, empty, vms, seed)));
        }
        placers.add(report(progress, CloudSimPacking.firstFit(clusterHosts, vms)));
        HeadToHead headToHead = headToHead(vms.subList(0, Math.min(headToHeadVms, vmCount)), seed, progress);
        return new Result(vmCount, clusterHosts, lowerBound, ffd, placers, headToHead);
    }

    private static HeadToHead headToHead(List<Shape> vms, long seed, PrintStream progress) {
        long lowerBound = LowerBound.hosts(vms, Shape.HOST);
        int hosts = clusterHosts(lowerBound);
        progress.printf(
                "head to head: first %,d VMs on %,d empty hosts (lower bound %,d)%n", vms.size(), hosts, lowerBound);
        ClusterSnapshot empty = ClusterSnapshot.of(new ClusterBuilder(new SplittableRandom(seed)).hosts(hosts, 0));
        PackingResult vireo = report(progress, VireoPacking.place(DefaultProfiles.PACK, empty, vms, seed));
        PackingResult bestFit = report(progress, CloudSimPacking.bestFit(hosts, vms));
        return new HeadToHead(vms.size(), hosts, lowerBound, vireo, bestFit);
    }

    private static int clusterHosts(long lowerBound) {
        return (int) Math.ceil(lowerBound * CLUSTER_HEADROOM);
    }

    private static void warmUp(long seed, PrintStream progress) {
        progress.printf("packing warm-up: %,d VMs per placer%n", WARM_UP_VMS);
        List<Shape> vms = new WorkloadGenerator(new SplittableRandom(seed ^ 0x5EED)).vms(WARM_UP_VMS);
        int hosts = clusterHosts(LowerBound.hosts(vms, Shape.HOST));
        ClusterSnapshot empty = ClusterSnapshot.of(new ClusterBuilder(new SplittableRandom(seed)).hosts(hosts, 0));
        for (String profile : BenchmarkProfiles.NAMES) {
            VireoPacking.place(profile, empty, vms, seed);
        }
        CloudSimPacking.bestFit(hosts, vms);
        CloudSimPacking.firstFit(hosts, vms);
    }

    private static PackingResult report(PrintStream progress, PackingResult result) {
        progress.printf(
                "  %s: %,d hosts used, %,d unplaced, %.1f µs per placement%n",
                result.placer(), result.hostsUsed(), result.unplaced(), result.microsPerPlacement());
        return result;
    }
}
