package io.vireo.api.json;

import io.vireo.common.Names;
import io.vireo.model.Network;
import org.jspecify.annotations.Nullable;

@Doc("A network to create.")
public record NewNetworkJson(
        @Doc(value = "Network name, unique in the project.", pattern = Patterns.NAME)
        String name,

        @Doc(
                value = "Optional: the MTU its guests are given (default 1450: a 1500-byte underlay less VXLAN's"
                        + " 50 bytes).",
                minimum = Network.MIN_MTU,
                maximum = Network.MAX_MTU)
        @Nullable
        Integer mtu,

        @Doc("Optional: reserved for provider networks that reach the physical network (default false); stored, not"
                + " acted on yet.")
        @Nullable
        Boolean external) {
    public NewNetworkJson {
        Names.require("name", name);
    }
}
