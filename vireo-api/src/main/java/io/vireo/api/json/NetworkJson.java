package io.vireo.api.json;

import io.vireo.model.Network;
import java.time.Instant;
import java.util.UUID;

@Doc("A virtual layer-2 network of a project. Guests do not get its addresses on their NIC yet.")
public record NetworkJson(
        UUID id,
        String name,
        @Doc("The id of the project that owns the network.") UUID project,

        @Doc("The VXLAN network identifier, unique in the cloud, chosen by the server.")
        int vni,

        @Doc("The MTU its guests are given.") int mtu,

        @Doc("Reserved for provider networks; not acted on yet.")
        boolean external,

        Instant createdAt) {
    public static NetworkJson of(Network network) {
        return new NetworkJson(
                network.id(),
                network.name(),
                network.projectId(),
                network.vni(),
                network.mtu(),
                network.external(),
                network.createdAt());
    }
}
