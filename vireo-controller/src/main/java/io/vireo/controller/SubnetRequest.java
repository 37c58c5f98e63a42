package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.model.AddressRange;
import io.vireo.model.Ipv4Address;
import io.vireo.model.Ipv4Cidr;
import io.vireo.model.Ipv6Cidr;
import io.vireo.model.Subnet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A subnet to create, checked: a gateway that is a host address of the CIDR (by default its first, or none), pools
 * inside the CIDR's host addresses that neither overlap nor hold the gateway (by default every host address but the
 * gateway), distinct DNS servers.
 *
 * @param network the name of the caller's network it belongs to
 * @param gateway null for a subnet without a gateway
 */
public record SubnetRequest(
        String name,
        String network,
        Ipv4Cidr cidr,
        @Nullable Ipv6Cidr ipv6Cidr,
        @Nullable Ipv4Address gateway,
        List<Ipv4Address> dnsServers,
        List<AddressRange> pools) {
    public SubnetRequest {
        requireNonNull(name, "name is null");
        requireNonNull(network, "network is null");
        requireNonNull(cidr, "cidr is null");
        dnsServers = List.copyOf(dnsServers);
        pools = List.copyOf(pools);
    }

    /**
     * Parses and checks what a caller sent; throws INVALID_ARGUMENT naming the field at fault.
     *
     * @param gateway the gateway's address, or null for the default (the CIDR's first host address)
     * @param noGateway whether the subnet has no gateway (then {@code gateway} must be null)
     * @param pools {@code START-END} ranges, or empty for the default
     */
    public static SubnetRequest parse(
            String name,
            String network,
            String cidr,
            @Nullable String ipv6Cidr,
            @Nullable String gateway,
            boolean noGateway,
            List<String> dnsServers,
            List<String> pools) {
        Names.require("name", name);
        Names.require("network", network);
        Ipv4Cidr v4 = Ipv4Cidr.parse("cidr", cidr);
        Ipv6Cidr v6 = ipv6Cidr == null ? null : Ipv6Cidr.parse("ipv6Cidr", ipv6Cidr);
        if (noGateway && gateway != null) {
            throw VireoException.invalid("gateway", "a gateway and noGateway exclude each other");
        }
        Ipv4Address chosenGateway = noGateway ? null : gateway(v4, gateway);
        return new SubnetRequest(
                name, network, v4, v6, chosenGateway, dns(dnsServers), pools(v4, chosenGateway, pools));
    }

    private static @Nullable Ipv4Address gateway(Ipv4Cidr cidr, @Nullable String text) {
        if (text == null) {
            return cidr.firstHost();
        }
        Ipv4Address gateway = Ipv4Address.parse("gateway", text);
        if (!cidr.hostAddress(gateway)) {
            throw VireoException.invalid("gateway", gateway + " is not a host address of " + cidr);
        }
        return gateway;
    }

    private static List<Ipv4Address> dns(List<String> texts) {
        if (texts.size() > Subnet.MAX_DNS_SERVERS) {
            throw VireoException.invalid("dnsServers", "at most " + Subnet.MAX_DNS_SERVERS + " DNS servers");
        }
        List<Ipv4Address> servers = new ArrayList<>();
        for (String text : texts) {
            Ipv4Address server = Ipv4Address.parse("dnsServers", notNull("dnsServers", text));
            if (servers.contains(server)) {
                throw VireoException.invalid("dnsServers", server + " is named twice");
            }
            servers.add(server);
        }
        return servers;
    }

    private static List<AddressRange> pools(Ipv4Cidr cidr, @Nullable Ipv4Address gateway, List<String> texts) {
        if (texts.isEmpty()) {
            return gateway == null ? cidr.defaultPools() : cidr.defaultPools(gateway);
        }
        if (texts.size() > Subnet.MAX_POOLS) {
            throw VireoException.invalid("pools", "at most " + Subnet.MAX_POOLS + " allocation pools");
        }
        List<AddressRange> pools = new ArrayList<>();
        for (String text : texts) {
            AddressRange pool = AddressRange.parse("pools", notNull("pools", text));
            if (!cidr.hostAddress(pool.first()) || !cidr.hostAddress(pool.last())) {
                throw VireoException.invalid("pools", pool + " is not inside the host addresses of " + cidr);
            }
            if (gateway != null && pool.contains(gateway)) {
                throw VireoException.invalid("pools", pool + " holds the gateway " + gateway);
            }
            pools.add(pool);
        }
        pools.sort(Comparator.comparing(AddressRange::first));
        for (int i = 1; i < pools.size(); i++) {
            if (pools.get(i - 1).overlaps(pools.get(i))) {
                throw VireoException.invalid("pools", pools.get(i - 1) + " and " + pools.get(i) + " overlap");
            }
        }
        return pools;
    }

    /** A JSON list may hold nulls despite its type. */
    private static String notNull(String field, @Nullable String text) {
        if (text == null) {
            throw VireoException.invalid(field, "must not hold null");
        }
        return text;
    }

    Subnet toSubnet(UUID id, UUID projectId, UUID networkId, Instant createdAt) {
        return new Subnet(id, projectId, networkId, name, createdAt, cidr, ipv6Cidr, gateway, dnsServers, pools);
    }
}
