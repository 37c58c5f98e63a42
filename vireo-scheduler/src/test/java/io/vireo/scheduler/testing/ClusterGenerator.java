package io.vireo.scheduler.testing;

import static java.util.Objects.requireNonNull;

import io.vireo.common.IdGenerator;
import io.vireo.model.HostState;
import io.vireo.scheduler.snapshot.HostInventory;
import io.vireo.scheduler.snapshot.ResourceClass;
import io.vireo.scheduler.snapshot.ResourceInventory;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Random clusters from a seeded generator: mixed host sizes, overcommit ratios and reservations, usage from empty to
 * over capacity, some DOWN or in MAINTENANCE, GPUs on some, traits, zones, aggregates and recent failures from small
 * pools (so that requests for them hit some hosts and miss others).
 */
public final class ClusterGenerator {
    public static final ResourceClass GPU = ResourceClass.of("GPU");
    public static final List<String> TRAITS = List.of("cpu.avx2", "cpu.avx512", "net.sriov", "storage.nvme");
    public static final List<String> ZONES = List.of("az-1", "az-2", "az-3");
    public static final List<String> AGGREGATES = List.of("ssd", "tenant-a", "tenant-b");

    private final RandomGenerator random;
    private final IdGenerator ids;

    public ClusterGenerator(RandomGenerator random) {
        this.random = requireNonNull(random, "random is null");
        this.ids = IdGenerator.seeded(random);
    }

    public List<HostInventory> hosts(int count) {
        List<HostInventory> hosts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            hosts.add(host("host-" + i));
        }
        return hosts;
    }

    private HostInventory host(String name) {
        HostInventory.Builder host = HostInventory.builder(ids.next(), name)
                .state(state())
                .resourceGeneration(random.nextLong(100))
                .resource(ResourceClass.VCPU, inventory(8L * (1 + random.nextInt(16)), 4, pick(1.0, 2.0, 4.0, 16.0)))
                .resource(ResourceClass.MEMORY_MIB, inventory(16_384L << random.nextInt(6), 4_096, pick(1.0, 1.5)))
                .resource(ResourceClass.DISK_GIB, inventory(100 + random.nextInt(4_000), 50, 1.0));
        if (random.nextInt(10) < 3) {
            host.resource(GPU, inventory(1 + random.nextInt(8), 0, 1.0));
        }
        for (String trait : TRAITS) {
            if (random.nextBoolean()) {
                host.trait(trait);
            }
        }
        if (random.nextInt(10) < 8) {
            host.availabilityZone(ZONES.get(random.nextInt(ZONES.size())));
        }
        for (String aggregate : AGGREGATES) {
            if (random.nextInt(3) == 0) {
                host.aggregate(aggregate);
            }
        }
        return host.recentFailures(random.nextInt(5) == 0 ? 1 + random.nextInt(3) : 0)
                .build();
    }

    private HostState state() {
        int roll = random.nextInt(20);
        return roll < 17 ? HostState.UP : roll < 19 ? HostState.DOWN : HostState.MAINTENANCE;
    }

    /** {@code total}, up to {@code maxReserved} reserved, used anywhere from 0 to 110% of the capacity. */
    private ResourceInventory inventory(long total, long maxReserved, double ratio) {
        long reserved = Math.min(total, random.nextLong(maxReserved + 1));
        long capacity = (long) Math.floor((total - reserved) * ratio);
        long used = (long) (capacity * random.nextDouble(1.1));
        return new ResourceInventory(total, reserved, ratio, used);
    }

    private double pick(double... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
