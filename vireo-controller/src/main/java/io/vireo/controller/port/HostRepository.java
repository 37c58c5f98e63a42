package io.vireo.controller.port;

import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostDrain;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Hosts: registered by their agents, found by id or name. Allocations change only through {@link ClaimRepository}. A
 * deleted host ({@link #delete}) is kept for the history that refers to it, but no method here finds, lists, changes
 * or registers it again, and no claim lands on it; its name is free for a new host.
 */
public interface HostRepository {
    /**
     * Registers a host by name: a new name makes a new host; a known name updates capacity, capabilities and driver,
     * keeps the id and the allocations, and marks the host UP (unless in MAINTENANCE).
     *
     * <p>The host's capacity policy (precedence: an operator's policy, then the agent's reservation, then the server's
     * default; ADR 10): a new host gets {@code defaults} with the registration's reservation in place of the
     * defaults' for each class the agent reports. A known host keeps a policy an operator set
     * ({@link #setCapacityPolicy}); otherwise it takes that same policy if its allocation fits it, else keeps the
     * policy it had (and the reservation its agent reported last, for the classes not reported now), with the
     * classes the agent reports now reserved as it says in any case. The registration's reservation is always
     * recorded ({@link Host#agentReservation()}).
     *
     * <p>A known host whose allocation exceeds its new effective capacity is refused with CONFLICT, and nothing
     * changes, except where the agent's own reservation is in force: an allocation then only has to fit the class's
     * capacity without the reservation, and a host left with more allocated than its effective capacity simply has
     * no room for claims ({@link Host#overAllocation()}).
     */
    Host register(HostRegistration registration, CapacityPolicy defaults, Instant now);

    /**
     * Registers the host whose id the agent's certificate names, as {@link #register(HostRegistration, CapacityPolicy,
     * Instant)} but found by id: a new id makes a new host with that id; a known id is updated. A host is not renamed
     * by its agent, and a name is one host's: a known id registering under another name, or a new id under a name
     * another host has, is CONFLICT and changes nothing.
     */
    Host register(UUID id, HostRegistration registration, CapacityPolicy defaults, Instant now);

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

    /**
     * Drops the host's own capacity policy: it takes {@code defaults} again, with its agent's reservation in place of
     * the defaults' for each class the agent reported, as at registration; later registrations apply the defaults
     * again. Bumps the resource generation. Throws NOT_FOUND for an unknown host and CONFLICT, changing nothing, if
     * the host's allocation would exceed the effective capacity of that policy.
     */
    Host resetCapacityPolicy(UUID hostId, CapacityPolicy defaults);

    Optional<Host> find(UUID id);

    Optional<Host> findByName(String name);

    /** Every host, ordered by name. */
    List<Host> list();

    /**
     * Records the heartbeats of many hosts at once: each one's usage, and {@code now} as its last heartbeat. Hosts the
     * store does not know are skipped. A heartbeat never touches what claims read and write (ADR 18).
     */
    void recordHeartbeats(Map<UUID, HostUsage> usages, Instant now);

    default void recordHeartbeat(UUID hostId, HostUsage usage, Instant now) {
        recordHeartbeats(Map.of(hostId, usage), now);
    }

    void updateState(UUID hostId, HostState state);

    /**
     * Sets the host's state to {@code next} if it is {@code expected}; false, changing nothing, otherwise (another
     * replica's monitor, a registration or an operator changed it first).
     */
    boolean transition(UUID hostId, HostState expected, HostState next);

    /**
     * Records a lease renewal of each host's fence guard, committed now (the PostgreSQL store takes the time from the
     * database's clock, so that every replica measures leases on one clock; the in-memory store takes {@code now}).
     * Hosts the store does not know are skipped. Like heartbeats, renewals never touch what claims read and write.
     */
    void recordLeaseRenewals(java.util.Collection<UUID> hostIds, Instant now);

    /**
     * How long ago each host's fence guard last renewed its lease, for the hosts that have a guard (a host that never
     * renewed has none and is absent), measured on the clock of {@link #recordLeaseRenewals}.
     */
    Map<UUID, java.time.Duration> leaseAges(Instant now);

    /**
     * Deletes the host if nothing stands on it ({@link HostDeletion}): decided under the host's row lock, the one a
     * claim on the host takes, in the transaction that marks it deleted at {@code now}, so that no VM or migration can
     * be claimed onto it in between. A deleted host's liveness (heartbeat, lease) goes with it.
     */
    HostDeletion delete(UUID hostId, Instant now);

    /** Records a drain of its host; false, changing nothing, if the host has one already or is unknown. */
    boolean startDrain(HostDrain drain);

    /** The drains that stand, oldest first. */
    List<HostDrain> drains();

    /** Ends the host's drain; false if it had none. */
    boolean endDrain(UUID hostId);
}
