package io.vireo.controller.port;

import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Hosts: registered by their agents, found by id or name. Allocations change only through {@link ClaimRepository}. */
public interface HostRepository {
    /**
     * Registers a host by name: a new name makes a new host; a known name updates capacity, capabilities and driver,
     * keeps the id and the allocations, and marks the host UP (unless in MAINTENANCE).
     *
     * <p>The host's capacity policy: a new host gets {@code defaults}; a known host keeps a policy an operator set
     * ({@link #setCapacityPolicy}), and otherwise takes {@code defaults} if its allocation fits the effective capacity
     * they give, else keeps the policy it had. A known host whose allocation exceeds its new effective capacity is
     * refused with CONFLICT, and nothing changes.
     */
    Host register(HostRegistration registration, CapacityPolicy defaults, Instant now);

    /** {@link #register(HostRegistration, CapacityPolicy, Instant)} with no overcommit and nothing reserved. */
    default Host register(HostRegistration registration, Instant now) {
        return register(registration, CapacityPolicy.NONE, now);
    }

    /**
     * Sets the host's own capacity policy (reserved amounts and allocation ratios), which later registrations keep,
     * and bumps its resource generation. Throws NOT_FOUND for an unknown host and CONFLICT, changing nothing, if the
     * host's allocation would exceed its effective capacity under {@code policy}.
     */
    Host setCapacityPolicy(UUID hostId, CapacityPolicy policy);

    Optional<Host> find(UUID id);

    Optional<Host> findByName(String name);

    /** Every host, ordered by name. */
    List<Host> list();

    void recordHeartbeat(UUID hostId, HostUsage usage, Instant now);

    void updateState(UUID hostId, HostState state);
}
