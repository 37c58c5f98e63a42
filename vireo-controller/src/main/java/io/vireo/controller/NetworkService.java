package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.IdGenerator;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.port.NetworkRepository;
import io.vireo.controller.port.NetworkRepository.AddressRequest;
import io.vireo.controller.port.NetworkRepository.PortResult;
import io.vireo.controller.port.VmRepository;
import io.vireo.model.Ipv4Address;
import io.vireo.model.MacAddress;
import io.vireo.model.Network;
import io.vireo.model.Port;
import io.vireo.model.Subnet;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Networks, subnets and ports of the caller's project, with IPAM (ADR 23): validated requests, addresses allocated by
 * the store. Another project's objects answer NOT_FOUND as if they did not exist. Thread-safe.
 */
public final class NetworkService {
    /** How long a released address is held back from automatic allocation by default. */
    public static final Duration DEFAULT_ADDRESS_HOLD_BACK = Duration.ofSeconds(60);
    /** How many MACs a port create draws before it gives up: a second collision in 2^46 is a broken generator. */
    static final int MAC_ATTEMPTS = 3;

    private final NetworkRepository networks;
    private final VmRepository vms;
    private final IdGenerator ids;
    private final Clock clock;
    private final Duration addressHoldBack;

    /** @param addressHoldBack how long a released address is skipped by automatic allocation (zero: not at all) */
    public NetworkService(
            NetworkRepository networks, VmRepository vms, IdGenerator ids, Clock clock, Duration addressHoldBack) {
        this.networks = requireNonNull(networks, "networks is null");
        this.vms = requireNonNull(vms, "vms is null");
        this.ids = requireNonNull(ids, "ids is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.addressHoldBack = requireNonNull(addressHoldBack, "addressHoldBack is null");
        if (addressHoldBack.isNegative()) {
            throw new IllegalArgumentException("addressHoldBack is negative");
        }
    }

    /** @param mtu null for {@link Network#DEFAULT_MTU} */
    public Network createNetwork(RequestContext context, String name, @Nullable Integer mtu, boolean external) {
        Names.require("name", name);
        int chosen = mtu == null ? Network.DEFAULT_MTU : mtu;
        if (chosen < Network.MIN_MTU || chosen > Network.MAX_MTU) {
            throw VireoException.invalid("mtu", "must be between " + Network.MIN_MTU + " and " + Network.MAX_MTU);
        }
        return networks.createNetwork(ids.next(), context.projectId(), name, clock.instant(), chosen, external);
    }

    public Network network(RequestContext context, String name) {
        return networks.findNetwork(context.projectId(), name)
                .orElseThrow(() -> VireoException.notFound("network", name));
    }

    public List<Network> networks(RequestContext context) {
        return networks.listNetworks(context.projectId());
    }

    /** Deletes a network without ports, with its subnets. */
    public void deleteNetwork(RequestContext context, String name) {
        switch (networks.deleteNetwork(context.projectId(), name)) {
            case DELETED -> {}
            case NOT_FOUND -> throw VireoException.notFound("network", name);
            case IN_USE -> throw VireoException.conflict("network '" + name + "' has ports; delete them first");
        }
    }

    /** Creates a subnet of one of the caller's networks, from a request that {@link SubnetRequest} checked. */
    public Subnet createSubnet(RequestContext context, SubnetRequest request) {
        Network network = network(context, request.network());
        Subnet subnet = request.toSubnet(ids.next(), context.projectId(), network.id(), clock.instant());
        return networks.createSubnet(subnet);
    }

    public Subnet subnet(RequestContext context, String name) {
        return networks.findSubnet(context.projectId(), name)
                .orElseThrow(() -> VireoException.notFound("subnet", name));
    }

    public List<Subnet> subnets(RequestContext context) {
        return networks.listSubnets(context.projectId());
    }

    /** Deletes a subnet none of whose addresses belongs to a port. */
    public void deleteSubnet(RequestContext context, String name) {
        switch (networks.deleteSubnet(context.projectId(), name)) {
            case DELETED -> {}
            case NOT_FOUND -> throw VireoException.notFound("subnet", name);
            case IN_USE -> throw VireoException.conflict("subnet '" + name + "' has ports; delete them first");
        }
    }

    /**
     * Creates a port on one of the caller's networks with a generated MAC and an IPv4 address: {@code address} if it
     * is given (a free host address of one of the network's subnets, not a gateway), else the next free one of the
     * first subnet with room. CONFLICT if the address is taken or every subnet's pools are exhausted; a network
     * without subnets gives a port without addresses.
     *
     * @param name null for a port without a name
     * @param vm the name or id of the caller's VM that owns the port, or null
     */
    public Port createPort(
            RequestContext context,
            String network,
            @Nullable String name,
            @Nullable Ipv4Address address,
            @Nullable String vm) {
        if (name != null) {
            Names.require("name", name);
        }
        Network target = network(context, network);
        UUID vmId = vm == null ? null : ownerVm(context, vm).id();
        List<Subnet> subnets = networks.subnetsOf(target.id());
        List<AddressRequest> requests = address == null ? automatic(subnets) : List.of(fixed(subnets, address));
        for (int attempt = 1; attempt <= MAC_ATTEMPTS; attempt++) {
            UUID id = ids.next();
            Instant now = clock.instant();
            Port port = new Port(
                    id,
                    context.projectId(),
                    target.id(),
                    name,
                    now,
                    MacAddress.locallyAdministered(ids.next()),
                    vmId,
                    List.of());
            Optional<Port> created = create(port, requests, now, address);
            if (created.isPresent()) {
                return created.get();
            }
        }
        throw VireoException.conflict("no free MAC address found for a port of network '" + network + "'; try again");
    }

    /** The port, or empty if its MAC was taken; throws CONFLICT if the address was taken or the pools exhausted. */
    private Optional<Port> create(Port port, List<AddressRequest> requests, Instant now, @Nullable Ipv4Address asked) {
        if (requests.isEmpty()) {
            return created(networks.createPort(port, null, now), asked);
        }
        for (AddressRequest request : requests) {
            PortResult result = networks.createPort(port, request, now);
            if (!(result instanceof PortResult.Exhausted)) {
                return created(result, asked);
            }
        }
        throw VireoException.conflict("no free address: every allocation pool of the network is exhausted");
    }

    private static Optional<Port> created(PortResult result, @Nullable Ipv4Address asked) {
        return switch (result) {
            case PortResult.Created created -> Optional.of(created.port());
            case PortResult.MacTaken taken -> Optional.empty();
            case PortResult.AddressTaken taken ->
                throw VireoException.conflict("address " + asked + " belongs to another port");
            case PortResult.Exhausted exhausted ->
                throw VireoException.conflict("no free address: every allocation pool of the network is exhausted");
        };
    }

    private List<AddressRequest> automatic(List<Subnet> subnets) {
        Instant heldSince = clock.instant().minus(addressHoldBack);
        return subnets.stream()
                .<AddressRequest>map(subnet -> new AddressRequest.Automatic(subnet.id(), heldSince))
                .toList();
    }

    private static AddressRequest fixed(List<Subnet> subnets, Ipv4Address address) {
        for (Subnet subnet : subnets) {
            if (!subnet.cidr().contains(address)) {
                continue;
            }
            if (!subnet.cidr().hostAddress(address)) {
                throw VireoException.invalid(
                        "ip", address + " is the network or broadcast address of subnet '" + subnet.name() + "'");
            }
            if (address.equals(subnet.gateway())) {
                throw VireoException.conflict(address + " is the gateway of subnet '" + subnet.name() + "'");
            }
            return new AddressRequest.Fixed(subnet.id(), address);
        }
        throw VireoException.invalid("ip", address + " is in no subnet of the network");
    }

    private Vm ownerVm(RequestContext context, String nameOrId) {
        Optional<UUID> id = VmService.parseUuid(nameOrId);
        Optional<Vm> vm = id.isPresent()
                ? vms.find(id.get()).filter(found -> found.projectId().equals(context.projectId()))
                : vms.findByName(context.projectId(), nameOrId);
        return vm.filter(found -> found.state() != VmState.DELETED)
                .orElseThrow(() -> VireoException.notFound("vm", nameOrId));
    }

    public Port port(RequestContext context, String nameOrId) {
        return findPort(context, nameOrId).orElseThrow(() -> VireoException.notFound("port", nameOrId));
    }

    private Optional<Port> findPort(RequestContext context, String nameOrId) {
        Optional<UUID> id = VmService.parseUuid(nameOrId);
        return id.isPresent()
                ? networks.findPort(context.projectId(), id.get())
                : networks.findPort(context.projectId(), nameOrId);
    }

    public List<Port> ports(RequestContext context) {
        return networks.listPorts(context.projectId());
    }

    /** Deletes a port, unless a VM that still exists owns it; its addresses are held back before reuse. */
    public void deletePort(RequestContext context, String nameOrId) {
        Port port = port(context, nameOrId);
        UUID vmId = port.vmId();
        if (vmId != null
                && vms.find(vmId).filter(vm -> vm.state() != VmState.DELETED).isPresent()) {
            throw VireoException.conflict("port '" + nameOrId + "' belongs to VM " + vmId + "; delete the VM first");
        }
        if (!networks.deletePort(context.projectId(), port.id(), clock.instant())) {
            throw VireoException.notFound("port", nameOrId);
        }
    }

    /** A network by id (for showing the name of a subnet's or port's network), of any project. */
    public Optional<Network> networkById(UUID id) {
        return networks.findNetwork(id);
    }
}
