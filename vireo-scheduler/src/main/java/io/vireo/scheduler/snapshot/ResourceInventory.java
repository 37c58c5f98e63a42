package io.vireo.scheduler.snapshot;

import io.vireo.common.VireoException;
import io.vireo.model.CapacityPolicy;

/**
 * One resource class on one host, in the OpenStack Placement sense: {@code total} is what the hardware has,
 * {@code reserved} what the host keeps for itself, {@code allocationRatio} the overcommit factor, and {@code used} the
 * sum of the claims of the VMs placed on it. Claims may use up to {@link #capacity()}.
 *
 * <p>Invariants: {@code 0 <= reserved <= total}; {@code used >= 0} ({@code used} may exceed the capacity when an
 * operator lowered the ratio); {@code 0 < allocationRatio <= MAX_ALLOCATION_RATIO}.
 */
public record ResourceInventory(long total, long reserved, double allocationRatio, long used) {
    /** The largest overcommit factor accepted for any class. */
    public static final double MAX_ALLOCATION_RATIO = CapacityPolicy.MAX_ALLOCATION_RATIO;

    public ResourceInventory {
        if (total < 0 || reserved < 0 || reserved > total) {
            throw VireoException.invalid("reserved", "need 0 <= reserved <= total, got " + reserved + " of " + total);
        }
        if (!(allocationRatio > 0 && allocationRatio <= MAX_ALLOCATION_RATIO)) {
            throw VireoException.invalid(
                    "allocationRatio", "must be in (0, " + MAX_ALLOCATION_RATIO + "], got " + allocationRatio);
        }
        if (used < 0) {
            throw VireoException.invalid("used", "must not be negative, got " + used);
        }
    }

    /** Not overcommitted, nothing reserved, nothing used. */
    public static ResourceInventory of(long total) {
        return new ResourceInventory(total, 0, 1.0, 0);
    }

    /**
     * What claims may add up to: {@code floor((total - reserved) * allocationRatio)}, saturating at Long.MAX_VALUE; the
     * one definition is {@link CapacityPolicy#effective}, which the store's claim checks too.
     */
    public long capacity() {
        return CapacityPolicy.effective(total, reserved, allocationRatio);
    }

    /** What one more claim may take; negative when the host is already over its capacity. */
    public long free() {
        return capacity() - used;
    }

    public ResourceInventory withUsed(long newUsed) {
        return new ResourceInventory(total, reserved, allocationRatio, newUsed);
    }
}
