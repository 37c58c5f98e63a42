package io.vireo.sim.workload;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws VMs shaped like public cloud traces (mostly small, a long tail of large ones) from a caller's seeded
 * {@link RandomGenerator}; the same seed gives the same sequence. See {@link #DISTRIBUTION} for the mix.
 */
public final class WorkloadGenerator {
    /** The mix, as printed by the benchmark and documented in docs/benchmarks.md. */
    public static final String DISTRIBUTION = "vCPUs: 1 (25%), 2 (25%), 4 (25%), 8 (15%), 16 (7%), 32 (3%); "
            + "memory 2, 4 or 8 GiB per vCPU (equally likely); disk 20, 40, 80 or 160 GiB (40/30/20/10%); "
            + "NIC 250, 500 or 1,000 Mbps per vCPU (50/35/15%)";

    private static final long MIB_PER_GIB = 1_024;

    private final RandomGenerator random;

    public WorkloadGenerator(RandomGenerator random) {
        this.random = requireNonNull(random, "random is null");
    }

    /** The next VM of the arrival sequence. */
    public Shape nextVm() {
        long vcpus = vcpus(random.nextInt(100));
        long memoryGibPerVcpu = 2L << random.nextInt(3);
        long diskGib = disk(random.nextInt(100));
        long nicMbpsPerVcpu = nicPerVcpu(random.nextInt(100));
        return new Shape(vcpus, vcpus * memoryGibPerVcpu * MIB_PER_GIB, diskGib, vcpus * nicMbpsPerVcpu);
    }

    /** The next {@code count} VMs. */
    public List<Shape> vms(int count) {
        List<Shape> vms = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            vms.add(nextVm());
        }
        return vms;
    }

    private static long vcpus(int percentile) {
        if (percentile < 25) {
            return 1;
        }
        if (percentile < 50) {
            return 2;
        }
        if (percentile < 75) {
            return 4;
        }
        if (percentile < 90) {
            return 8;
        }
        return percentile < 97 ? 16 : 32;
    }

    private static long disk(int percentile) {
        if (percentile < 40) {
            return 20;
        }
        if (percentile < 70) {
            return 40;
        }
        return percentile < 90 ? 80 : 160;
    }

    private static long nicPerVcpu(int percentile) {
        if (percentile < 50) {
            return 250;
        }
        return percentile < 85 ? 500 : 1_000;
    }
}
