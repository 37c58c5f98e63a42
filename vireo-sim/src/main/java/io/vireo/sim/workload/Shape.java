package io.vireo.sim.workload;

import java.util.List;

/**
 * An amount of the four resource classes of the benchmark: vCPUs, memory (MiB), disk (GiB) and NIC bandwidth (Mbps).
 * The same type describes a host's capacity and a VM's demand.
 *
 * <p>Invariant: every amount is non-negative.
 */
public record Shape(long vcpus, long memoryMib, long diskGib, long nicMbps) {
    /** The names of the four classes, in {@link #amount(int)} order. */
    public static final List<String> CLASS_NAMES = List.of("VCPU", "MEMORY_MIB", "DISK_GIB", "NIC_MBPS");

    public static final int CLASS_COUNT = 4;

    /** Every host of the benchmark: 64 vCPUs, 256 GiB, 2,000 GiB disk, a 40 Gbit/s NIC. */
    public static final Shape HOST = new Shape(64, 256 * 1024, 2_000, 40_000);

    public Shape {
        if (vcpus < 0 || memoryMib < 0 || diskGib < 0 || nicMbps < 0) {
            throw new IllegalArgumentException(
                    "amounts must not be negative: " + vcpus + "/" + memoryMib + "/" + diskGib + "/" + nicMbps);
        }
    }

    /** The amount of class {@code index} (0 vCPUs, 1 memory, 2 disk, 3 NIC). */
    public long amount(int index) {
        return switch (index) {
            case 0 -> vcpus;
            case 1 -> memoryMib;
            case 2 -> diskGib;
            case 3 -> nicMbps;
            default -> throw new IllegalArgumentException("no resource class " + index);
        };
    }

    /** The largest share of {@code capacity} this shape takes in any class, as used by first-fit-decreasing. */
    public double dominantShare(Shape capacity) {
        double share = 0;
        for (int index = 0; index < CLASS_COUNT; index++) {
            share = Math.max(share, amount(index) / (double) capacity.amount(index));
        }
        return share;
    }
}
