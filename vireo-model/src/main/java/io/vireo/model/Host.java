package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A hypervisor host. {@code capacity} is what the agent reported, {@code allocated} the sum of the claims of the VMs
 * placed on it. {@code resourceGeneration} increases on every claim or release: a claim is a conditional write on it,
 * so that two schedulers racing for the same host cannot both win.
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
        HostUsage usage) {
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
    }

    public Resources free() {
        return capacity.minus(allocated);
    }
}
