package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A hypervisor host. {@code capacity} is what the agent reported (the total), {@code allocated} the sum of the claims
 * of the VMs placed on it; claims may add up to {@link #effectiveCapacity()}, the total under the host's
 * {@code capacityPolicy} (reserved amounts and allocation ratios). {@code resourceGeneration} increases on every claim
 * or release: a claim is a conditional write on it, so that two schedulers racing for the same host cannot both win.
 *
 * @param capacityPolicy the reserved amounts and allocation ratios in force on this host
 * @param capacityPolicyOverridden true if an operator set {@code capacityPolicy} for this host; false if it is the
 *     server's default, applied when the host (re-)registers
 */
public record Host(
        UUID id,
        String name,
        Instant createdAt,
        HostState state,
        Resources capacity,
        Resources allocated,
        long resourceGeneration,
        List<String> capabilities,
        String driver,
        @Nullable Instant lastHeartbeatAt,
        HostUsage usage,
        CapacityPolicy capacityPolicy,
        boolean capacityPolicyOverridden) {
    public Host {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(state, "state is null");
        requireNonNull(capacity, "capacity is null");
        requireNonNull(allocated, "allocated is null");
        capabilities = List.copyOf(capabilities);
        requireNonNull(driver, "driver is null");
        requireNonNull(usage, "usage is null");
        requireNonNull(capacityPolicy, "capacityPolicy is null");
    }

    /** What claims may add up to: {@code floor((total - reserved) * ratio)} per class. */
    public Resources effectiveCapacity() {
        return capacityPolicy.effectiveCapacity(capacity);
    }

    /** What one more claim may take: the effective capacity less the allocation, floored at zero. */
    public Resources free() {
        return effectiveCapacity().minus(allocated);
    }

    /** This host with {@code newAllocated} and the next resource generation, as a claim or release leaves it. */
    public Host withAllocation(Resources newAllocated) {
        return new Host(
                id,
                name,
                createdAt,
                state,
                capacity,
                newAllocated,
                resourceGeneration + 1,
                capabilities,
                driver,
                lastHeartbeatAt,
                usage,
                capacityPolicy,
                capacityPolicyOverridden);
    }
}
