package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.NetworkRepository.AddressRequest;
import io.vireo.controller.port.NetworkRepository.DeleteOutcome;
import io.vireo.controller.port.NetworkRepository.PortResult;
import io.vireo.model.AddressRange;
import io.vireo.model.FixedIp;
import io.vireo.model.Ipv4Address;
import io.vireo.model.Ipv4Cidr;
import io.vireo.model.Ipv6Cidr;
import io.vireo.model.MacAddress;
import io.vireo.model.Network;
import io.vireo.model.Port;
import io.vireo.model.Project;
import io.vireo.model.Subnet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NetworkRepository} must do (ADR 23): names, VNIs, CIDRs, MACs and addresses unique; the next
 * free address from where the last was given, released ones held back, exhaustion reported, concurrent allocations never sharing an address.
 * A subclass supplies a fresh, empty store per test.
 */
public abstract class NetworkContractTest {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    protected static final UUID ADMIN = Project.ADMIN_ID;
    protected static final UUID OTHER = UUID.fromString("00000000-0000-4000-8000-0000000000b2");

    private final AtomicLong macs = new AtomicLong(0x02_00_00_00_00_01L);
    private NetworkRepository networks;

    /** A fresh, empty store's networks. */
    protected abstract NetworkRepository newNetworks();

    @BeforeEach
    void setUpStore() {
        networks = newNetworks();
    }

    protected NetworkRepository networks() {
        return networks;
    }

    protected Network network(UUID project, String name) {
        return networks.createNetwork(UUID.randomUUID(), project, name, T0, Network.DEFAULT_MTU, false);
    }

    protected Subnet subnet(Network network, String name, String cidr, String... pools) {
        Ipv4Cidr v4 = Ipv4Cidr.parse("cidr", cidr);
        List<AddressRange> ranges = pools.length == 0
                ? v4.defaultPools(v4.firstHost())
                : List.of(pools).stream()
                        .map(p -> AddressRange.parse("pools", p))
                        .toList();
        return networks.createSubnet(new Subnet(
                UUID.randomUUID(),
                network.projectId(),
                network.id(),
                name,
                T0,
                v4,
                null,
                v4.firstHost(),
                List.of(),
                ranges));
    }

    protected Port newPort(Network network, @Nullable String name) {
        return new Port(
                UUID.randomUUID(),
                network.projectId(),
                network.id(),
                name,
                T0,
                new MacAddress(macs.getAndIncrement()),
                null,
                List.of());
    }

    /** A new port of the network with the next free address of the subnet, nothing held back. */
    protected PortResult allocate(Network network, Subnet subnet) {
        return networks.createPort(newPort(network, null), new AddressRequest.Automatic(subnet.id(), T0), T0);
    }

    protected static Ipv4Address ip(String text) {
        return Ipv4Address.parse("ip", text);
    }

    private static Ipv4Address addressOf(PortResult result) {
        assertThat(result).isInstanceOf(PortResult.Created.class);
        return ((PortResult.Created) result).port().fixedIps().getFirst().address();
    }

    private static void assertError(ErrorCode code, Runnable action) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void networksHaveUniqueNamesPerProjectAndUniqueVnis() {
        Network blue = network(ADMIN, "blue");
        Network red = network(ADMIN, "red");
        Network otherBlue = network(OTHER, "blue");

        assertError(ErrorCode.ALREADY_EXISTS, () -> network(ADMIN, "blue"));
        assertThat(List.of(blue.vni(), red.vni(), otherBlue.vni())).doesNotHaveDuplicates();
        assertThat(networks.findNetwork(ADMIN, "blue")).contains(blue);
        assertThat(networks.findNetwork(OTHER, "red")).isEmpty();
        assertThat(networks.findNetwork(red.id())).contains(red);
        assertThat(networks.listNetworks(ADMIN)).containsExactly(blue, red);
        assertThat(blue.mtu()).isEqualTo(1450);
    }

    @Test
    void subnetsAreStoredAsGivenAndMayNotOverlapOnOneNetwork() {
        Network blue = network(ADMIN, "blue");
        Network red = network(ADMIN, "red");
        Ipv4Cidr cidr = Ipv4Cidr.parse("cidr", "10.0.0.0/24");
        Subnet full = networks.createSubnet(new Subnet(
                UUID.randomUUID(),
                ADMIN,
                blue.id(),
                "blue-v4",
                T0,
                cidr,
                Ipv6Cidr.parse("ipv6Cidr", "fd00:1::/64"),
                null,
                List.of(ip("9.9.9.9"), ip("1.1.1.1")),
                List.of(AddressRange.parse("pools", "10.0.0.10-10.0.0.20"))));

        assertThat(networks.findSubnet(ADMIN, "blue-v4")).contains(full);
        assertError(ErrorCode.CONFLICT, () -> subnet(blue, "inner", "10.0.0.128/25"));
        assertError(ErrorCode.ALREADY_EXISTS, () -> subnet(red, "blue-v4", "10.9.0.0/24"));
        Subnet same = subnet(red, "red-v4", "10.0.0.0/24"); // the same CIDR on another network
        Subnet second = subnet(blue, "blue-b", "10.0.1.0/24");
        assertThat(networks.listSubnets(ADMIN)).containsExactly(second, full, same);
        assertThat(networks.subnetsOf(blue.id())).containsExactlyInAnyOrder(full, second);
        assertThat(networks.findSubnet(OTHER, "blue-v4")).isEmpty();
    }

    @Test
    void anOverlappingIpv6CidrIsRefused() {
        Network blue = network(ADMIN, "blue");
        Ipv4Cidr a = Ipv4Cidr.parse("cidr", "10.0.0.0/24");
        Ipv4Cidr b = Ipv4Cidr.parse("cidr", "10.0.1.0/24");
        Ipv6Cidr v6 = Ipv6Cidr.parse("ipv6Cidr", "fd00:1::/64");
        networks.createSubnet(
                new Subnet(UUID.randomUUID(), ADMIN, blue.id(), "a", T0, a, v6, null, List.of(), a.defaultPools()));

        assertError(
                ErrorCode.CONFLICT,
                () -> networks.createSubnet(new Subnet(
                        UUID.randomUUID(), ADMIN, blue.id(), "b", T0, b, v6, null, List.of(), b.defaultPools())));
    }

    @Test
    void portsGetTheAddressesOfThePoolsInOrder() {
        Network blue = network(ADMIN, "blue");
        Subnet subnet = subnet(blue, "s", "10.0.0.0/24", "10.0.0.100-10.0.0.101", "10.0.0.200-10.0.0.200");

        assertThat(addressOf(allocate(blue, subnet))).isEqualTo(ip("10.0.0.100"));
        assertThat(addressOf(allocate(blue, subnet))).isEqualTo(ip("10.0.0.101"));
        assertThat(addressOf(allocate(blue, subnet))).isEqualTo(ip("10.0.0.200"));
        assertThat(allocate(blue, subnet)).isEqualTo(new PortResult.Exhausted());
        assertThat(networks.listPorts(ADMIN)).hasSize(3);
    }

    @Test
    void aPortIsStoredWithItsMacNameOwnerAndAddress() {
        Network blue = network(ADMIN, "blue");
        Subnet subnet = subnet(blue, "s", "10.0.0.0/24");
        UUID vm = UUID.randomUUID();
        Port asked = new Port(
                UUID.randomUUID(), ADMIN, blue.id(), "web", T0, new MacAddress(0x02_aa_bb_cc_dd_eeL), vm, List.of());

        PortResult result = networks.createPort(asked, new AddressRequest.Automatic(subnet.id(), T0), T0);

        Port expected = asked.withFixedIps(List.of(new FixedIp(subnet.id(), ip("10.0.0.2"))));
        assertThat(result).isEqualTo(new PortResult.Created(expected));
        assertThat(networks.findPort(ADMIN, asked.id())).contains(expected);
        assertThat(networks.findPort(ADMIN, "web")).contains(expected);
        assertThat(networks.findPort(OTHER, asked.id())).isEmpty();
        assertThat(networks.findPort(OTHER, "web")).isEmpty();
        assertError(ErrorCode.ALREADY_EXISTS, () -> networks.createPort(newPort(blue, "web"), null, T0));
    }

    @Test
    void aMacIsUniqueOnItsNetworkOnly() {
        Network blue = network(ADMIN, "blue");
        Network red = network(ADMIN, "red");
        Port first = newPort(blue, null);
        networks.createPort(first, null, T0);
        Port sameMac = new Port(UUID.randomUUID(), ADMIN, blue.id(), null, T0, first.mac(), null, List.of());
        Port onRed = new Port(UUID.randomUUID(), ADMIN, red.id(), null, T0, first.mac(), null, List.of());

        assertThat(networks.createPort(sameMac, null, T0)).isEqualTo(new PortResult.MacTaken());
        assertThat(networks.createPort(onRed, null, T0)).isInstanceOf(PortResult.Created.class);
        assertThat(networks.findPort(ADMIN, sameMac.id())).isEmpty();
    }

    @Test
    void automaticAddressesGoRoundThePoolsFromWhereTheLastOneWasGiven() {
        Network blue = network(ADMIN, "blue");
        Subnet subnet = subnet(blue, "s", "10.0.0.0/24", "10.0.0.10-10.0.0.11", "10.0.0.20-10.0.0.21");
        List<Port> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ports.add(((PortResult.Created) allocate(blue, subnet)).port());
        }
        networks.deletePort(ADMIN, ports.get(0).id(), T0); // .10 free again, nothing held back (heldSince = T0)

        // .21 is next from the cursor, then the search wraps round to .10
        assertThat(addressOf(allocate(blue, subnet))).isEqualTo(ip("10.0.0.21"));
        assertThat(addressOf(allocate(blue, subnet))).isEqualTo(ip("10.0.0.10"));
        assertThat(allocate(blue, subnet)).isEqualTo(new PortResult.Exhausted());
    }

    @Test
    void aFixedAddressIsGivenOnceAndTheNextAutomaticOneSkipsIt() {
        Network blue = network(ADMIN, "blue");
        Subnet subnet = subnet(blue, "s", "10.0.0.0/24");
        AddressRequest fixed = new AddressRequest.Fixed(subnet.id(), ip("10.0.0.2"));

        assertThat(addressOf(networks.createPort(newPort(blue, null), fixed, T0)))
                .isEqualTo(ip("10.0.0.2"));
        Port refused = newPort(blue, "refused");
        assertThat(networks.createPort(refused, fixed, T0)).isEqualTo(new PortResult.AddressTaken());
        assertThat(networks.findPort(ADMIN, refused.id())).isEmpty();
        assertThat(addressOf(allocate(blue, subnet))).isEqualTo(ip("10.0.0.3"));
    }

    @Test
    void aReleasedAddressIsHeldBackUntilThePoolHasNothingElse() {
        Network blue = network(ADMIN, "blue");
        Subnet subnet = subnet(blue, "s", "10.0.0.0/24", "10.0.0.10-10.0.0.12");
        Port first = ((PortResult.Created) allocate(blue, subnet)).port();
        Port second = ((PortResult.Created) allocate(blue, subnet)).port();
        assertThat(networks.deletePort(ADMIN, second.id(), T0.plusSeconds(5))).isTrue();
        assertThat(networks.deletePort(ADMIN, first.id(), T0.plusSeconds(10))).isTrue();
        Instant now = T0.plusSeconds(20);
        Instant heldSince = now.minusSeconds(60);

        // .10 and .11 were released within the minute: .12 is free
        assertThat(addressOf(networks.createPort(
                        newPort(blue, null), new AddressRequest.Automatic(subnet.id(), heldSince), now)))
                .isEqualTo(ip("10.0.0.12"));
        // nothing else: the one released longest ago
        assertThat(addressOf(networks.createPort(
                        newPort(blue, null), new AddressRequest.Automatic(subnet.id(), heldSince), now)))
                .isEqualTo(ip("10.0.0.11"));
        // once the hold is over, .10 is free again
        assertThat(addressOf(networks.createPort(
                        newPort(blue, null), new AddressRequest.Automatic(subnet.id(), T0.plusSeconds(10)), now)))
                .isEqualTo(ip("10.0.0.10"));
        assertThat(allocate(blue, subnet)).isEqualTo(new PortResult.Exhausted());
    }

    @Test
    void anExplicitAddressMayBeOneHeldBack() {
        Network blue = network(ADMIN, "blue");
        Subnet subnet = subnet(blue, "s", "10.0.0.0/24");
        Port port = ((PortResult.Created) allocate(blue, subnet)).port();
        networks.deletePort(ADMIN, port.id(), T0);

        AddressRequest fixed = new AddressRequest.Fixed(subnet.id(), ip("10.0.0.2"));
        assertThat(addressOf(networks.createPort(newPort(blue, null), fixed, T0)))
                .isEqualTo(ip("10.0.0.2"));
    }

    @Test
    void deletesRefuseWhatIsInUse() {
        Network blue = network(ADMIN, "blue");
        Subnet subnet = subnet(blue, "s", "10.0.0.0/24");
        Port port = ((PortResult.Created) allocate(blue, subnet)).port();

        assertThat(networks.deleteNetwork(ADMIN, "blue")).isEqualTo(DeleteOutcome.IN_USE);
        assertThat(networks.deleteSubnet(ADMIN, "s")).isEqualTo(DeleteOutcome.IN_USE);
        assertThat(networks.deleteSubnet(OTHER, "s")).isEqualTo(DeleteOutcome.NOT_FOUND);
        assertThat(networks.deletePort(OTHER, port.id(), T0)).isFalse();
        assertThat(networks.deletePort(ADMIN, port.id(), T0)).isTrue();
        assertThat(networks.deletePort(ADMIN, port.id(), T0)).isFalse();
        assertThat(networks.deleteSubnet(ADMIN, "s")).isEqualTo(DeleteOutcome.DELETED);
        subnet(blue, "s2", "10.0.0.0/24");
        assertThat(networks.deleteNetwork(OTHER, "blue")).isEqualTo(DeleteOutcome.NOT_FOUND);
        assertThat(networks.deleteNetwork(ADMIN, "blue")).isEqualTo(DeleteOutcome.DELETED);
        assertThat(networks.listSubnets(ADMIN)).isEmpty();
        assertThat(networks.deleteNetwork(ADMIN, "blue")).isEqualTo(DeleteOutcome.NOT_FOUND);
    }

    @Test
    void aPortOfAGoneNetworkOrSubnetIsNotFound() {
        Network blue = network(ADMIN, "blue");
        Subnet subnet = subnet(blue, "s", "10.0.0.0/24");
        Port port = newPort(blue, null);
        networks.deleteNetwork(ADMIN, "blue");

        assertError(ErrorCode.NOT_FOUND, () -> networks.createPort(port, null, T0));
        assertError(
                ErrorCode.NOT_FOUND,
                () -> networks.createPort(port, new AddressRequest.Automatic(subnet.id(), T0), T0));
    }

    /** 64 ports at once on a /26 (61 addresses in its pool): each address once, and three find none. */
    @Test
    void concurrentAllocationsNeverShareAnAddress() throws Exception {
        Network blue = network(ADMIN, "blue");
        Subnet subnet = subnet(blue, "s", "10.0.0.0/26");
        List<PortResult> results = allocateConcurrently(blue, subnet, 64, 8);

        List<Ipv4Address> given = results.stream()
                .filter(PortResult.Created.class::isInstance)
                .map(NetworkContractTest::addressOf)
                .toList();
        assertThat(given)
                .hasSize(61)
                .doesNotHaveDuplicates()
                .allMatch(a -> subnet.pools().getFirst().contains(a));
        assertThat(results).filteredOn(PortResult.Exhausted.class::isInstance).hasSize(3);
    }

    /** {@code count} port creates from {@code threads} threads started together. */
    protected List<PortResult> allocateConcurrently(Network network, Subnet subnet, int count, int threads)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<List<PortResult>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = count / threads + (t < count % threads ? 1 : 0);
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    List<PortResult> mine = new ArrayList<>();
                    for (int i = 0; i < share; i++) {
                        mine.add(allocate(network, subnet));
                    }
                    return mine;
                }));
            }
            List<PortResult> all = new ArrayList<>();
            for (Future<List<PortResult>> future : futures) {
                all.addAll(future.get(5, TimeUnit.MINUTES));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The distinct addresses of the created results. */
    protected static Set<Ipv4Address> addresses(List<PortResult> results) {
        Set<Ipv4Address> all = new HashSet<>();
        for (PortResult result : results) {
            if (result instanceof PortResult.Created created) {
                all.addAll(
                        created.port().fixedIps().stream().map(FixedIp::address).toList());
            }
        }
        return all;
    }
}
