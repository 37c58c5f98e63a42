package io.vireo.api.json;

import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.model.Subnet;
import java.util.List;
import org.jspecify.annotations.Nullable;

@Doc("A subnet to create on a network of the project.")
public record NewSubnetJson(
        @Doc(value = "Subnet name, unique in the project.", pattern = Patterns.NAME)
        String name,

        @Doc(value = "The name of the project's network.", pattern = Patterns.NAME)
        String network,

        @Doc("The IPv4 network, a.b.c.d/prefix with a prefix of 8-30 and no host bits set; it may not overlap another"
                + " subnet of the network.")
        String cidr,

        @Doc("Optional: an IPv6 network, prefix::/length with a length of 8-64; it may not overlap another subnet's.")
        @Nullable
        String ipv6Cidr,

        @Doc("Optional: the gateway's IPv4 address, a host address of the CIDR (default: its first host address).")
        @Nullable
        String gateway,

        @Doc("Optional: a subnet without a gateway (default false); excludes gateway.") @Nullable
        Boolean noGateway,

        @Doc("Optional: the IPv4 addresses of up to 4 DNS servers the guests are told of.") @Nullable
        List<String> dnsServers,

        @Doc("Optional: up to 16 allocation pools, START-END, inside the CIDR's host addresses, not overlapping and"
                + " not holding the gateway (default: every host address but the gateway).")
        @Nullable
        List<String> pools) {
    public NewSubnetJson {
        Names.require("name", name);
        Names.require("network", network);
        if (dnsServers != null && dnsServers.size() > Subnet.MAX_DNS_SERVERS) {
            throw VireoException.invalid("dnsServers", "at most " + Subnet.MAX_DNS_SERVERS + " DNS servers");
        }
        if (pools != null && pools.size() > Subnet.MAX_POOLS) {
            throw VireoException.invalid("pools", "at most " + Subnet.MAX_POOLS + " allocation pools");
        }
    }
}
