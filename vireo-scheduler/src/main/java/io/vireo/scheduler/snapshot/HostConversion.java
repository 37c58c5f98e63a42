package io.vireo.scheduler.snapshot;

import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the control plane's {@link Host} records as {@link HostInventory}s: capacity becomes the total and allocated
 * the used amount of VCPU, MEMORY_MIB and DISK_GIB, with the reservations and allocation ratios of the host's own
 * {@link CapacityPolicy} (the store's claim checks the same effective capacity); capabilities of the form
 * {@code trait:X} become traits, {@code az:Z} the availability zone (the first one wins) and {@code aggregate:A}
 * aggregates. Capabilities of any other form, or with a name {@link LabelNames} rejects, are not the scheduler's and
 * are ignored, so that one odd agent report cannot stop placement.
 */
public final class HostConversion {
    public static final String TRAIT_PREFIX = "trait:";
    public static final String ZONE_PREFIX = "az:";
    public static final String AGGREGATE_PREFIX = "aggregate:";

    private HostConversion() {}

    public static List<HostInventory> inventories(List<Host> hosts) {
        List<HostInventory> inventories = new ArrayList<>(hosts.size());
        for (Host host : hosts) {
            inventories.add(inventory(host));
        }
        return inventories;
    }

    public static HostInventory inventory(Host host) {
        CapacityPolicy policy = host.capacityPolicy();
        HostInventory.Builder builder = HostInventory.builder(host.id(), host.name())
                .state(host.state())
                .resourceGeneration(host.resourceGeneration())
                .resource(
                        ResourceClass.VCPU,
                        resource(
                                host.capacity().vcpus(),
                                policy.reserved().vcpus(),
                                policy.vcpuRatio(),
                                host.allocated().vcpus()))
                .resource(
                        ResourceClass.MEMORY_MIB,
                        resource(
                                host.capacity().memoryMib(),
                                policy.reserved().memoryMib(),
                                policy.memoryRatio(),
                                host.allocated().memoryMib()))
                .resource(
                        ResourceClass.DISK_GIB,
                        resource(
                                host.capacity().diskGib(),
                                policy.reserved().diskGib(),
                                policy.diskRatio(),
                                host.allocated().diskGib()));
        boolean zoned = false;
        for (String capability : host.capabilities()) {
            if (capability.startsWith(TRAIT_PREFIX) && valid(capability, TRAIT_PREFIX)) {
                builder.trait(capability.substring(TRAIT_PREFIX.length()));
            } else if (capability.startsWith(AGGREGATE_PREFIX) && valid(capability, AGGREGATE_PREFIX)) {
                builder.aggregate(capability.substring(AGGREGATE_PREFIX.length()));
            } else if (!zoned && capability.startsWith(ZONE_PREFIX) && valid(capability, ZONE_PREFIX)) {
                builder.availabilityZone(capability.substring(ZONE_PREFIX.length()));
                zoned = true;
            }
        }
        return builder.build();
    }

    /** {@code total} with {@code used} claimed; the reservation is capped at the total, as the store caps it. */
    private static ResourceInventory resource(long total, long reserved, double ratio, long used) {
        return new ResourceInventory(total, Math.min(total, reserved), ratio, used);
    }

    private static boolean valid(String capability, String prefix) {
        return LabelNames.isValid(capability.substring(prefix.length()));
    }
}
