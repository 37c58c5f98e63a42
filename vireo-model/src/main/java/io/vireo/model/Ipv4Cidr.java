package io.vireo.model;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 network in CIDR notation, such as {@code 10.0.0.0/24}: its network address (host bits zero) and prefix
 * length. A subnet's prefix is {@value #MIN_PREFIX_LENGTH} to {@value #MAX_PREFIX_LENGTH}: the network and broadcast
 * addresses are never handed out, so a /30 is the smallest with room for a gateway and one port.
 */
public record Ipv4Cidr(Ipv4Address network, int prefixLength) {
    public static final int MIN_PREFIX_LENGTH = 8;
    public static final int MAX_PREFIX_LENGTH = 30;

    public Ipv4Cidr {
        requireNonNull(network, "network is null");
        if (prefixLength < MIN_PREFIX_LENGTH || prefixLength > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("prefixLength must be " + MIN_PREFIX_LENGTH + "-" + MAX_PREFIX_LENGTH);
        }
        if ((network.value() & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("host bits set in " + network + "/" + prefixLength);
        }
    }

    /** @throws VireoException INVALID_ARGUMENT naming {@code field} unless {@code text} is such a network */
    public static Ipv4Cidr parse(String field, String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw VireoException.invalid(field, "'" + Texts.shorten(text) + "' is not a CIDR (a.b.c.d/prefix)");
        }
        Ipv4Address address = Ipv4Address.parse(field, text.substring(0, slash));
        int prefix = PrefixLengths.parse(field, text.substring(slash + 1), MIN_PREFIX_LENGTH, MAX_PREFIX_LENGTH);
        if ((address.value() & ~mask(prefix)) != 0) {
            throw VireoException.invalid(
                    field,
                    "'" + Texts.shorten(text) + "' has host bits set; the network is "
                            + new Ipv4Address(address.value() & mask(prefix)) + "/" + prefix);
        }
        return new Ipv4Cidr(address, prefix);
    }

    private static long mask(int prefixLength) {
        return (Ipv4Address.MAX_VALUE << (32 - prefixLength)) & Ipv4Address.MAX_VALUE;
    }

    /** How many addresses it spans, network and broadcast included. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    public Ipv4Address broadcast() {
        return network.plus(size() - 1);
    }

    /** The first address after the network address: the default gateway. */
    public Ipv4Address firstHost() {
        return network.plus(1);
    }

    public Ipv4Address lastHost() {
        return broadcast().plus(-1);
    }

    public boolean contains(Ipv4Address address) {
        return address.compareTo(network) >= 0 && address.compareTo(broadcast()) <= 0;
    }

    /** Whether {@code address} may be given to a port or gateway: inside, neither network nor broadcast address. */
    public boolean hostAddress(Ipv4Address address) {
        return address.compareTo(firstHost()) >= 0 && address.compareTo(lastHost()) <= 0;
    }

    public boolean overlaps(Ipv4Cidr other) {
        return network.compareTo(other.broadcast()) <= 0 && other.network.compareTo(broadcast()) <= 0;
    }

    /** Every host address but the gateway (if any), as one or two ranges: the default allocation pools. */
    public List<AddressRange> defaultPools(Ipv4Address gateway) {
        AddressRange hosts = new AddressRange(firstHost(), lastHost());
        if (!hosts.contains(gateway)) {
            return List.of(hosts);
        }
        List<AddressRange> pools = new ArrayList<>(2);
        if (gateway.compareTo(firstHost()) > 0) {
            pools.add(new AddressRange(firstHost(), gateway.plus(-1)));
        }
        if (gateway.compareTo(lastHost()) < 0) {
            pools.add(new AddressRange(gateway.plus(1), lastHost()));
        }
        return List.copyOf(pools);
    }

    /** Every host address: the default allocation pool of a subnet without a gateway. */
    public List<AddressRange> defaultPools() {
        return List.of(new AddressRange(firstHost(), lastHost()));
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
