package io.vireo.api.json;

import io.vireo.model.Network;
import io.vireo.model.Port;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("A point of attachment to a network: a MAC address unique on the network and IPv4 addresses unique in their"
        + " subnets. Guests do not get these addresses on their NIC yet.")
public record PortJson(
        UUID id,
        @Nullable String name,
        @Doc("The id of the project that owns the port.") UUID project,
        @Doc("The name of its network.") String network,
        UUID networkId,

        @Doc("A locally administered unicast MAC address, aa:bb:cc:dd:ee:ff.")
        String mac,

        @Doc("The VM that owns it; null for none.") @Nullable
        UUID vmId,

        List<FixedIpJson> fixedIps,
        Instant createdAt) {
    public static PortJson of(Port port, Network network) {
        return new PortJson(
                port.id(),
                port.name(),
                port.projectId(),
                network.name(),
                network.id(),
                port.mac().toString(),
                port.vmId(),
                port.fixedIps().stream().map(FixedIpJson::of).toList(),
                port.createdAt());
    }
}
