package io.vireo.sim.workload;

import static java.util.Objects.requireNonNull;

import io.vireo.scheduler.snapshot.HostInventory;
import io.vireo.scheduler.snapshot.ResourceClass;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Builds the benchmark's clusters: {@code hostCount} identical {@link Shape#HOST} hosts, each prefilled so that the
 * used share of every class is uniform in {@code [0.8, 1.2] x prefill}, capped at the capacity.
 */
public final class ClusterBuilder {
    /** The fourth resource class, a custom class for Vireo and the bandwidth resource for CloudSim Plus. */
    public static final ResourceClass NIC_MBPS = ResourceClass.of("NIC_MBPS");

    public static final String PREFILL_DISTRIBUTION =
            "every host 64 vCPUs / 256 GiB / 2,000 GiB disk / 40,000 Mbps NIC; used share per class uniform in "
                    + "[0.8, 1.2] x prefill, capped at capacity";

    private static final double JITTER_LOW = 0.8;
    private static final double JITTER_WIDTH = 0.4;

    private final RandomGenerator random;

    public ClusterBuilder(RandomGenerator random) {
        this.random = requireNonNull(random, "random is null");
    }

    public List<HostInventory> hosts(int hostCount, double prefill) {
        if (prefill < 0 || prefill > 1) {
            throw new IllegalArgumentException("prefill must be in [0, 1], got " + prefill);
        }
        List<HostInventory> hosts = new ArrayList<>(hostCount);
        for (int host = 0; host < hostCount; host++) {
            hosts.add(HostInventory.builder(new UUID(0x5151_0000L, host), "host-" + host)
                    .resource(ResourceClass.VCPU, Shape.HOST.vcpus(), used(Shape.HOST.vcpus(), prefill))
                    .resource(ResourceClass.MEMORY_MIB, Shape.HOST.memoryMib(), used(Shape.HOST.memoryMib(), prefill))
                    .resource(ResourceClass.DISK_GIB, Shape.HOST.diskGib(), used(Shape.HOST.diskGib(), prefill))
                    .resource(NIC_MBPS, Shape.HOST.nicMbps(), used(Shape.HOST.nicMbps(), prefill))
                    .build());
        }
        return hosts;
    }

    private long used(long capacity, double prefill) {
        if (prefill == 0) {
            return 0;
        }
        double share = prefill * (JITTER_LOW + JITTER_WIDTH * random.nextDouble());
        return Math.min(capacity, Math.round(capacity * share));
    }
}
