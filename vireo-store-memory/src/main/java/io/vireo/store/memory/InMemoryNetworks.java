package io.vireo.store.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.NetworkRepository;
import io.vireo.controller.port.PoolSegments;
import io.vireo.model.AddressRange;
import io.vireo.model.FixedIp;
import io.vireo.model.Ipv4Address;
import io.vireo.model.Network;
import io.vireo.model.Port;
import io.vireo.model.Subnet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The networks, subnets, ports and allocations of {@link InMemoryStore}, with the PostgreSQL store's semantics (ADR
 * 23), guarded by the store's one lock. VNIs count up from 1, as the database's sequence does.
 */
final class InMemoryNetworks implements NetworkRepository {
    private final Object lock;
    private final Map<UUID, Network> networks = new LinkedHashMap<>();
    private final Map<UUID, Subnet> subnets = new LinkedHashMap<>();
    private final Map<UUID, Port> ports = new LinkedHashMap<>();
    /** By subnet: address value to its allocation. */
    private final Map<UUID, TreeMap<Long, Allocation>> allocations = new LinkedHashMap<>();
    /** By subnet: where the next automatic allocation starts looking, one past the last address it gave. */
    private final Map<UUID, Long> cursors = new LinkedHashMap<>();

    private int nextVni = Network.MIN_VNI;

    /** An address of a subnet that a port has ({@code portId}) or had until {@code releasedAt}. */
    private record Allocation(
            @Nullable UUID portId, @Nullable Instant releasedAt) {}

    InMemoryNetworks(Object lock) {
        this.lock = requireNonNull(lock, "lock is null");
    }

    @Override
    public Network createNetwork(UUID id, UUID projectId, String name, Instant createdAt, int mtu, boolean external) {
        synchronized (lock) {
            if (findNetwork(projectId, name).isPresent()) {
                throw VireoException.alreadyExists("network", name);
            }
            Set<Integer> taken = new HashSet<>();
            networks.values().forEach(network -> taken.add(network.vni()));
            if (taken.size() >= Network.MAX_VNI) {
                throw VireoException.conflict("no free VNI");
            }
            while (taken.contains(nextVni)) {
                nextVni = nextVni == Network.MAX_VNI ? Network.MIN_VNI : nextVni + 1;
            }
            Network network = new Network(id, projectId, name, createdAt, nextVni, mtu, external);
            nextVni = nextVni == Network.MAX_VNI ? Network.MIN_VNI : nextVni + 1;
            networks.put(id, network);
            return network;
        }
    }

    @Override
    public Optional<Network> findNetwork(UUID id) {
        synchronized (lock) {
            return Optional.ofNullable(networks.get(id));
        }
    }

    @Override
    public Optional<Network> findNetwork(UUID projectId, String name) {
        synchronized (lock) {
            return networks.values().stream()
                    .filter(n -> n.projectId().equals(projectId) && n.name().equals(name))
                    .findFirst();
        }
    }

    @Override
    public List<Network> listNetworks(UUID projectId) {
        synchronized (lock) {
            return networks.values().stream()
                    .filter(n -> n.projectId().equals(projectId))
                    .sorted(comparing(Network::name))
                    .toList();
        }
    }

    @Override
    public DeleteOutcome deleteNetwork(UUID projectId, String name) {
        synchronized (lock) {
            Optional<Network> network = findNetwork(projectId, name);
            if (network.isEmpty()) {
                return DeleteOutcome.NOT_FOUND;
            }
            UUID id = network.get().id();
            if (ports.values().stream().anyMatch(port -> port.networkId().equals(id))) {
                return DeleteOutcome.IN_USE;
            }
            for (Subnet subnet : subnetsOf(id)) {
                subnets.remove(subnet.id());
                allocations.remove(subnet.id());
                cursors.remove(subnet.id());
            }
            networks.remove(id);
            return DeleteOutcome.DELETED;
        }
    }

    @Override
    public Subnet createSubnet(Subnet subnet) {
        synchronized (lock) {
            Network network = networks.get(subnet.networkId());
            if (network == null || !network.projectId().equals(subnet.projectId())) {
                throw VireoException.notFound("network", subnet.networkId().toString());
            }
            if (findSubnet(subnet.projectId(), subnet.name()).isPresent()) {
                throw VireoException.alreadyExists("subnet", subnet.name());
            }
            List<Subnet> siblings = subnetsOf(subnet.networkId());
            if (siblings.size() >= MAX_SUBNETS_PER_NETWORK) {
                throw VireoException.conflict("a network has at most " + MAX_SUBNETS_PER_NETWORK + " subnets");
            }
            siblings.stream()
                    .filter(other -> overlap(subnet, other))
                    .min(comparing(Subnet::name))
                    .ifPresent(other -> {
                        throw VireoException.conflict(
                                "subnet '" + subnet.name() + "' overlaps subnet '" + other.name() + "' of the network");
                    });
            subnets.put(subnet.id(), subnet);
            allocations.put(subnet.id(), new TreeMap<>());
            return subnet;
        }
    }

    private static boolean overlap(Subnet a, Subnet b) {
        if (a.cidr().overlaps(b.cidr())) {
            return true;
        }
        return a.ipv6Cidr() != null && b.ipv6Cidr() != null && a.ipv6Cidr().overlaps(b.ipv6Cidr());
    }

    @Override
    public Optional<Subnet> findSubnet(UUID projectId, String name) {
        synchronized (lock) {
            return subnets.values().stream()
                    .filter(s -> s.projectId().equals(projectId) && s.name().equals(name))
                    .findFirst();
        }
    }

    @Override
    public List<Subnet> listSubnets(UUID projectId) {
        synchronized (lock) {
            return subnets.values().stream()
                    .filter(s -> s.projectId().equals(projectId))
                    .sorted(comparing(Subnet::name))
                    .toList();
        }
    }

    @Override
    public List<Subnet> subnetsOf(UUID networkId) {
        synchronized (lock) {
            return subnets.values().stream()
                    .filter(s -> s.networkId().equals(networkId))
                    .sorted(comparing(Subnet::createdAt).thenComparing(s -> s.id().toString()))
                    .toList();
        }
    }

    @Override
    public DeleteOutcome deleteSubnet(UUID projectId, String name) {
        synchronized (lock) {
            Optional<Subnet> subnet = findSubnet(projectId, name);
            if (subnet.isEmpty()) {
                return DeleteOutcome.NOT_FOUND;
            }
            UUID id = subnet.get().id();
            if (allocationsOf(id).values().stream().anyMatch(a -> a.portId() != null)) {
                return DeleteOutcome.IN_USE;
            }
            subnets.remove(id);
            allocations.remove(id);
            cursors.remove(id);
            return DeleteOutcome.DELETED;
        }
    }

    private TreeMap<Long, Allocation> allocationsOf(UUID subnetId) {
        return requireNonNull(allocations.get(subnetId), "a subnet without its allocations");
    }

    @Override
    public PortResult createPort(Port port, @Nullable AddressRequest request, Instant now) {
        synchronized (lock) {
            Network network = networks.get(port.networkId());
            if (network == null) {
                throw VireoException.notFound("network", port.networkId().toString());
            }
            String name = port.name();
            if (name != null && findPort(port.projectId(), name).isPresent()) {
                throw VireoException.alreadyExists("port", name);
            }
            Ipv4Address address = null;
            if (request != null) {
                Subnet subnet = subnets.get(request.subnetId());
                if (subnet == null || !subnet.networkId().equals(port.networkId())) {
                    throw VireoException.notFound("subnet", request.subnetId().toString());
                }
                Optional<Ipv4Address> chosen = switch (request) {
                    case AddressRequest.Automatic automatic -> nextFree(subnet, automatic.heldSince());
                    case AddressRequest.Fixed fixed -> free(subnet, fixed.address());
                };
                if (chosen.isEmpty()) {
                    return request instanceof AddressRequest.Fixed
                            ? new PortResult.AddressTaken()
                            : new PortResult.Exhausted();
                }
                address = chosen.get();
            }
            boolean macTaken = ports.values().stream()
                    .anyMatch(other -> other.networkId().equals(port.networkId())
                            && other.mac().equals(port.mac()));
            if (macTaken) {
                return new PortResult.MacTaken();
            }
            List<FixedIp> fixedIps = List.of();
            if (request != null && address != null) {
                allocationsOf(request.subnetId()).put(address.value(), new Allocation(port.id(), null));
                if (request instanceof AddressRequest.Automatic) {
                    cursors.put(request.subnetId(), address.value() + 1);
                }
                fixedIps = List.of(new FixedIp(request.subnetId(), address));
            }
            Port created = port.withFixedIps(fixedIps);
            ports.put(port.id(), created);
            return new PortResult.Created(created);
        }
    }

    /** Next fit from the subnet's cursor, wrapping round; else the address released longest ago. */
    private Optional<Ipv4Address> nextFree(Subnet subnet, Instant heldSince) {
        TreeMap<Long, Allocation> taken = allocationsOf(subnet.id());
        for (AddressRange pool : PoolSegments.from(subnet.pools(), cursors.getOrDefault(subnet.id(), 0L))) {
            for (long value = pool.first().value(); value <= pool.last().value(); value++) {
                Allocation allocation = taken.get(value);
                if (allocation == null || !heldBack(allocation, heldSince)) {
                    return Optional.of(new Ipv4Address(value));
                }
            }
        }
        return taken.entrySet().stream()
                .filter(entry -> entry.getValue().portId() == null && inPools(subnet, entry.getKey()))
                .min(comparing((Map.Entry<Long, Allocation> entry) ->
                                requireNonNull(entry.getValue().releasedAt()))
                        .thenComparing(Map.Entry::getKey))
                .map(entry -> new Ipv4Address(entry.getKey()));
    }

    private static boolean heldBack(Allocation allocation, Instant heldSince) {
        Instant released = allocation.releasedAt();
        return allocation.portId() != null || (released != null && released.isAfter(heldSince));
    }

    private static boolean inPools(Subnet subnet, long value) {
        return subnet.pools().stream().anyMatch(pool -> pool.contains(new Ipv4Address(value)));
    }

    private Optional<Ipv4Address> free(Subnet subnet, Ipv4Address address) {
        Allocation allocation = allocationsOf(subnet.id()).get(address.value());
        return allocation != null && allocation.portId() != null ? Optional.empty() : Optional.of(address);
    }

    @Override
    public Optional<Port> findPort(UUID projectId, UUID id) {
        synchronized (lock) {
            return Optional.ofNullable(ports.get(id))
                    .filter(port -> port.projectId().equals(projectId));
        }
    }

    @Override
    public Optional<Port> findPort(UUID projectId, String name) {
        synchronized (lock) {
            return ports.values().stream()
                    .filter(port -> port.projectId().equals(projectId) && name.equals(port.name()))
                    .findFirst();
        }
    }

    @Override
    public List<Port> listPorts(UUID projectId) {
        synchronized (lock) {
            List<Port> listed = new ArrayList<>();
            for (Port port : ports.values()) {
                if (port.projectId().equals(projectId)) {
                    listed.add(port);
                }
            }
            listed.sort(
                    comparing(Port::createdAt).thenComparing(port -> port.id().toString()));
            return listed;
        }
    }

    @Override
    public boolean deletePort(UUID projectId, UUID id, Instant now) {
        synchronized (lock) {
            Port port = ports.get(id);
            if (port == null || !port.projectId().equals(projectId)) {
                return false;
            }
            for (FixedIp fixedIp : port.fixedIps()) {
                allocationsOf(fixedIp.subnetId()).put(fixedIp.address().value(), new Allocation(null, now));
            }
            ports.remove(id);
            return true;
        }
    }

    /** Whether the project has a network (a project with one cannot be deleted). Hold the lock. */
    boolean hasNetworks(UUID projectId) {
        return networks.values().stream()
                .anyMatch(network -> network.projectId().equals(projectId));
    }
}
