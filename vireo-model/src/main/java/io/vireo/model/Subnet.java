package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An address range of a network (ADR 23). Its name is unique in the project; its IPv4 CIDR (and IPv6 CIDR, if any)
 * overlaps no other subnet's of the same network. Ports get IPv4 addresses from its allocation pools, which lie inside
 * the CIDR's host addresses, do not overlap and leave out the gateway.
 *
 * @param gateway the router's address, a host address of the CIDR; null for a subnet without one
 * @param dnsServers the name servers its guests are told of, at most {@value #MAX_DNS_SERVERS}
 * @param pools where automatic addresses come from, in address order, at most {@value #MAX_POOLS}
 */
public record Subnet(
        UUID id,
        UUID projectId,
        UUID networkId,
        String name,
        Instant createdAt,
        Ipv4Cidr cidr,
        @Nullable Ipv6Cidr ipv6Cidr,
        @Nullable Ipv4Address gateway,
        List<Ipv4Address> dnsServers,
        List<AddressRange> pools) {
    public static final int MAX_DNS_SERVERS = 4;
    public static final int MAX_POOLS = 16;

    public Subnet {
        requireNonNull(id, "id is null");
        requireNonNull(projectId, "projectId is null");
        requireNonNull(networkId, "networkId is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(cidr, "cidr is null");
        dnsServers = List.copyOf(dnsServers);
        pools = List.copyOf(pools);
        if (dnsServers.size() > MAX_DNS_SERVERS || pools.isEmpty() || pools.size() > MAX_POOLS) {
            throw new IllegalArgumentException("1-" + MAX_POOLS + " pools and at most " + MAX_DNS_SERVERS + " DNS");
        }
        if (gateway != null && !cidr.hostAddress(gateway)) {
            throw new IllegalArgumentException("gateway " + gateway + " is not a host address of " + cidr);
        }
        for (int i = 0; i < pools.size(); i++) {
            AddressRange pool = pools.get(i);
            if (!cidr.hostAddress(pool.first()) || !cidr.hostAddress(pool.last())) {
                throw new IllegalArgumentException("pool " + pool + " is not inside " + cidr);
            }
            if (gateway != null && pool.contains(gateway)) {
                throw new IllegalArgumentException("pool " + pool + " holds the gateway");
            }
            if (i > 0 && pools.get(i - 1).last().compareTo(pool.first()) >= 0) {
                throw new IllegalArgumentException("pools overlap or are out of order");
            }
        }
    }

    /** How many addresses its pools hold. */
    public long poolSize() {
        return pools.stream().mapToLong(AddressRange::size).sum();
    }
}
