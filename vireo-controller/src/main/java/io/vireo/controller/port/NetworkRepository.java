package io.vireo.controller.port;

import io.vireo.model.Ipv4Address;
import io.vireo.model.Network;
import io.vireo.model.Port;
import io.vireo.model.Subnet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Networks, subnets, ports and the addresses of ports (ADR 23). The store is the guard of every uniqueness rule: a
 * network's name in its project and its VNI in the cloud, a subnet's name in its project and its CIDRs on its network,
 * a port's MAC on its network and each allocated address in its subnet. Allocations of one subnet are serialized, so
 * an address is never given twice, however many servers allocate at once.
 *
 * <p>A released address (its port deleted) is held back: an automatic allocation skips addresses released after
 * {@code heldSince} unless its pools have no other.
 */
public interface NetworkRepository {
    /** The largest number of subnets one network may have. */
    int MAX_SUBNETS_PER_NETWORK = 16;

    /**
     * Stores a network with a VNI no other network has. Throws ALREADY_EXISTS if the project has a network of that
     * name, CONFLICT if every VNI is taken.
     */
    Network createNetwork(UUID id, UUID projectId, String name, Instant createdAt, int mtu, boolean external);

    Optional<Network> findNetwork(UUID id);

    Optional<Network> findNetwork(UUID projectId, String name);

    /** The project's networks, ordered by name. */
    List<Network> listNetworks(UUID projectId);

    /** Deletes the network and its subnets, unless it has ports. */
    DeleteOutcome deleteNetwork(UUID projectId, String name);

    /**
     * Stores a subnet of an existing network of its project. Throws ALREADY_EXISTS if the project has a subnet of that
     * name, CONFLICT if its IPv4 or IPv6 CIDR overlaps another subnet of the network or the network has
     * {@link #MAX_SUBNETS_PER_NETWORK}, NOT_FOUND if the network is gone.
     */
    Subnet createSubnet(Subnet subnet);

    Optional<Subnet> findSubnet(UUID projectId, String name);

    /** The project's subnets, ordered by name. */
    List<Subnet> listSubnets(UUID projectId);

    /** The network's subnets, oldest first (the order automatic allocation tries them in). */
    List<Subnet> subnetsOf(UUID networkId);

    /** Deletes the subnet unless one of its addresses belongs to a port. */
    DeleteOutcome deleteSubnet(UUID projectId, String name);

    /**
     * Stores {@code port} (whose fixed IPs are ignored) with the address {@code request} asks for, in the same
     * transaction: all or nothing. Throws ALREADY_EXISTS if the project has a port of that name, NOT_FOUND if the
     * network or the subnet is gone.
     */
    PortResult createPort(Port port, @Nullable AddressRequest request, Instant now);

    Optional<Port> findPort(UUID projectId, UUID id);

    Optional<Port> findPort(UUID projectId, String name);

    /** The project's ports, ordered by creation time, then id. */
    List<Port> listPorts(UUID projectId);

    /** Deletes the port; its addresses are released at {@code now} and held back from automatic allocation. */
    boolean deletePort(UUID projectId, UUID id, Instant now);

    /** What address a new port gets in its subnet. */
    sealed interface AddressRequest {
        UUID subnetId();

        /**
         * The next free address of the subnet's pools from where the last automatic one was given, wrapping round
         * (next fit), skipping those released after {@code heldSince} unless there is no other (then the one released
         * longest ago).
         */
        record Automatic(UUID subnetId, Instant heldSince) implements AddressRequest {}

        /** This address, a host address of the subnet that is not its gateway, if no port has it. */
        record Fixed(UUID subnetId, Ipv4Address address) implements AddressRequest {}
    }

    /** Outcomes of {@link #createPort}; nothing is stored unless {@link Created}. */
    sealed interface PortResult {
        record Created(Port port) implements PortResult {}

        /** Every address of the subnet's pools belongs to a port. */
        record Exhausted() implements PortResult {}

        /** The fixed address asked for belongs to another port. */
        record AddressTaken() implements PortResult {}

        /** Another port of the network has the MAC. */
        record MacTaken() implements PortResult {}
    }

    /** Outcomes of the deletes. */
    enum DeleteOutcome {
        DELETED,
        NOT_FOUND,
        /** A network with ports, or a subnet with allocated addresses. */
        IN_USE
    }
}
