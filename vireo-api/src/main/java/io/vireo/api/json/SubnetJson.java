package io.vireo.api.json;

import io.vireo.model.AddressRange;
import io.vireo.model.Ipv4Address;
import io.vireo.model.Network;
import io.vireo.model.Subnet;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("An address range of a network: ports get IPv4 addresses from its allocation pools.")
public record SubnetJson(
        UUID id,
        String name,
        @Doc("The id of the project that owns the subnet.") UUID project,
        @Doc("The name of its network.") String network,
        UUID networkId,
        String cidr,
        @Nullable String ipv6Cidr,

        @Doc("The gateway's address; null for a subnet without one.") @Nullable
        String gateway,

        List<String> dnsServers,

        @Doc("Where automatic addresses come from, START-END, in address order.")
        List<String> pools,

        Instant createdAt) {
    public static SubnetJson of(Subnet subnet, Network network) {
        return new SubnetJson(
                subnet.id(),
                subnet.name(),
                subnet.projectId(),
                network.name(),
                network.id(),
                subnet.cidr().toString(),
                subnet.ipv6Cidr() == null ? null : subnet.ipv6Cidr().toString(),
                subnet.gateway() == null ? null : subnet.gateway().toString(),
                subnet.dnsServers().stream().map(Ipv4Address::toString).toList(),
                subnet.pools().stream().map(AddressRange::toString).toList(),
                subnet.createdAt());
    }
}
