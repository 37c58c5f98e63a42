package io.vireo.scheduler.snapshot;

import io.vireo.common.VireoException;
import java.util.Map;

/**
 * How the control plane's view of a host (capacity and allocated) becomes a resource inventory: an allocation ratio
 * (overcommit) and an amount reserved for the host itself, per class. Classes not named have ratio 1 and nothing
 * reserved.
 *
 * <p>The store's claim must check the same capacity, {@code floor((total - reserved) * ratio)}, or a host the scheduler
 * chose would fail its claim (ratio above the store's) or never be filled (ratio below).
 *
 * <p>Invariants: every ratio in {@code (0, MAX_ALLOCATION_RATIO]}, every reservation {@code >= 0}.
 */
public record InventoryPolicy(Map<ResourceClass, Double> allocationRatios, Map<ResourceClass, Long> reserved) {
    /** No overcommit, nothing reserved: the capacity is what the agent reported. */
    public static final InventoryPolicy NONE = new InventoryPolicy(Map.of(), Map.of());

    public InventoryPolicy {
        allocationRatios = Map.copyOf(allocationRatios);
        reserved = Map.copyOf(reserved);
        allocationRatios.forEach((resourceClass, ratio) -> {
            if (!(ratio > 0 && ratio <= ResourceInventory.MAX_ALLOCATION_RATIO)) {
                throw VireoException.invalid("allocationRatios", resourceClass + " ratio out of range: " + ratio);
            }
        });
        reserved.forEach((resourceClass, amount) -> {
            if (amount < 0) {
                throw VireoException.invalid("reserved", resourceClass + " reservation is negative: " + amount);
            }
        });
    }

    public double allocationRatio(ResourceClass resourceClass) {
        return allocationRatios.getOrDefault(resourceClass, 1.0);
    }

    public long reserved(ResourceClass resourceClass) {
        return reserved.getOrDefault(resourceClass, 0L);
    }

    /** {@code total} of {@code resourceClass} with {@code used} claimed, under this policy (reservation capped at total). */
    public ResourceInventory inventory(ResourceClass resourceClass, long total, long used) {
        return new ResourceInventory(
                total, Math.min(total, reserved(resourceClass)), allocationRatio(resourceClass), used);
    }
}
