package io.vireo.controller.port;

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
     */
    Host register(HostRegistration registration, Instant now);

    Optional<Host> find(UUID id);

    Optional<Host> findByName(String name);

    /** Every host, ordered by name. */
    List<Host> list();

    void recordHeartbeat(UUID hostId, HostUsage usage, Instant now);

    void updateState(UUID hostId, HostState state);
}
