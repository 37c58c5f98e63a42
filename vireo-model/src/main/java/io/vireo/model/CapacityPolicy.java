package io.vireo.model;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How much of a host's total capacity claims may use, per resource class, in the OpenStack Placement sense: an amount
 * {@code reserved} for the host itself and an allocation ratio (overcommit). The effective capacity of a class is
 * {@code floor((total - reserved) * ratio)}, with the reservation capped at the total.
 *
 * <p>This is the one definition of effective capacity: the scheduler's inventory, the in-memory store's claim and the
 * API use {@link #effective}; PostgreSQL computes the same expression in IEEE double precision in the generated
 * {@code hosts.effective_*} columns (V7), which its claim and CHECK constraints use. Both sides multiply the same two
 * doubles and floor the product, so they agree exactly for totals below 2^53.
 *
 * <p>Invariants: every ratio finite and in {@code (0, MAX_ALLOCATION_RATIO]}; reservations never negative.
 *
 * @param reserved what the host keeps for itself (vCPUs, MiB of memory, GiB of disk)
 * @param vcpuRatio the allocation ratio of VCPU
 * @param memoryRatio the allocation ratio of MEMORY_MIB
 * @param diskRatio the allocation ratio of DISK_GIB
 */
public record CapacityPolicy(Resources reserved, double vcpuRatio, double memoryRatio, double diskRatio) {
    /** The largest allocation ratio accepted for any class. */
    public static final double MAX_ALLOCATION_RATIO = 1_000.0;

    /** No overcommit, nothing reserved: claims may use exactly what the agent reported. */
    public static final CapacityPolicy NONE = new CapacityPolicy(Resources.ZERO, 1.0, 1.0, 1.0);

    /**
     * The server's defaults unless configured otherwise, as OpenStack Nova's initial ratios: vCPUs overcommitted four
     * times, memory and disk not at all, 512 MiB of memory kept for the host's own processes.
     */
    public static final CapacityPolicy DEFAULTS = new CapacityPolicy(new Resources(0, 512, 0), 4.0, 1.0, 1.0);

    public CapacityPolicy {
        requireNonNull(reserved, "reserved is null");
        requireRatio("vcpuRatio", vcpuRatio);
        requireRatio("memoryRatio", memoryRatio);
        requireRatio("diskRatio", diskRatio);
    }

    private static void requireRatio(String field, double ratio) {
        if (!(ratio > 0 && ratio <= MAX_ALLOCATION_RATIO)) {
            throw VireoException.invalid(
                    field, "an allocation ratio must be a number in (0, " + MAX_ALLOCATION_RATIO + "], got " + ratio);
        }
    }

    /**
     * {@code floor((total - min(total, reserved)) * ratio)}, saturating at {@code Long.MAX_VALUE}: the amount claims may
     * add up to. {@code total} and {@code reserved} must not be negative.
     */
    public static long effective(long total, long reserved, double ratio) {
        if (total < 0 || reserved < 0) {
            throw new IllegalArgumentException("total and reserved must not be negative: " + total + ", " + reserved);
        }
        return (long) Math.floor((double) (total - Math.min(total, reserved)) * ratio);
    }

    /**
     * What {@code allocated} exceeds of the effective capacity of a host with {@code total} under this policy, in
     * words ({@code "vcpus 40 > 32"}), or empty if it fits.
     */
    public Optional<String> excess(Resources total, Resources allocated) {
        Resources effective = effectiveCapacity(total);
        List<String> over = new ArrayList<>();
        if (allocated.vcpus() > effective.vcpus()) {
            over.add("vcpus " + allocated.vcpus() + " > " + effective.vcpus());
        }
        if (allocated.memoryMib() > effective.memoryMib()) {
            over.add("memoryMib " + allocated.memoryMib() + " > " + effective.memoryMib());
        }
        if (allocated.diskGib() > effective.diskGib()) {
            over.add("diskGib " + allocated.diskGib() + " > " + effective.diskGib());
        }
        return over.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", over));
    }

    /** The effective capacity of each standard class of a host with {@code total}; vCPUs saturate at int range. */
    public Resources effectiveCapacity(Resources total) {
        long vcpus = effective(total.vcpus(), reserved.vcpus(), vcpuRatio);
        return new Resources(
                (int) Math.min(Integer.MAX_VALUE, vcpus),
                effective(total.memoryMib(), reserved.memoryMib(), memoryRatio),
                effective(total.diskGib(), reserved.diskGib(), diskRatio));
    }
}
