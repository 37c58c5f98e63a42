package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
 *     server's default, applied when the host (re-)registers, with the agent's reservation in place of the default's
 *     for each class the agent reports
 * @param agentReservation what the host's agent reported reserving at its last registration that set it (recorded
 *     even while an operator's policy is in force, which it then does not affect); see {@link HostReservation}
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
        boolean capacityPolicyOverridden,
        HostReservation agentReservation) {
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
        requireNonNull(agentReservation, "agentReservation is null");
    }

    /** A host whose agent reported no reservation. */
    public Host(
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
        this(
                id,
                name,
                createdAt,
                state,
                capacity,
                allocated,
                resourceGeneration,
                capabilities,
                driver,
                lastHeartbeatAt,
                usage,
                capacityPolicy,
                capacityPolicyOverridden,
                HostReservation.NONE);
    }

    /** What claims may add up to: {@code floor((total - reserved) * ratio)} per class. */
    public Resources effectiveCapacity() {
        return capacityPolicy.effectiveCapacity(capacity);
    }

    /** What one more claim may take: the effective capacity less the allocation, floored at zero. */
    public Resources free() {
        return effectiveCapacity().minus(allocated);
    }

    /**
     * What is allocated beyond the effective capacity, in words ({@code "memoryMib 8000 > 7680"}), or empty. Only an
     * agent's own reservation can leave a host so (claims never do): claims then find no room until VMs leave.
     */
    public Optional<String> overAllocation() {
        return capacityPolicy.excess(capacity, allocated);
    }

    /**
     * Whether a claim of {@code demand} fits: within {@link #free()}, and the host not over its effective capacity in
     * any class (such a host takes no claim at all, as PostgreSQL's conditional update and the scheduler see it).
     */
    public boolean fits(Resources demand) {
        return allocated.plus(demand).fitsWithin(effectiveCapacity());
    }

    /**
     * This host with {@code policy} in force ({@code overridden}: set by an operator) and the next resource
     * generation, since its room changes.
     */
    public Host withCapacityPolicy(CapacityPolicy policy, boolean overridden) {
        return new Host(
                id,
                name,
                createdAt,
                state,
                capacity,
                allocated,
                resourceGeneration + 1,
                capabilities,
                driver,
                lastHeartbeatAt,
                usage,
                policy,
                overridden,
                agentReservation);
    }

    /** This host as a heartbeat at {@code at} reporting {@code newUsage} leaves it; its room does not change. */
    public Host withHeartbeat(Instant at, HostUsage newUsage) {
        return new Host(
                id,
                name,
                createdAt,
                state,
                capacity,
                allocated,
                resourceGeneration,
                capabilities,
                driver,
                at,
                newUsage,
                capacityPolicy,
                capacityPolicyOverridden,
                agentReservation);
    }

    /** This host in {@code newState}; its room does not change. */
    public Host withState(HostState newState) {
        return new Host(
                id,
                name,
                createdAt,
                newState,
                capacity,
                allocated,
                resourceGeneration,
                capabilities,
                driver,
                lastHeartbeatAt,
                usage,
                capacityPolicy,
                capacityPolicyOverridden,
                agentReservation);
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
                capacityPolicyOverridden,
                agentReservation);
    }
}
