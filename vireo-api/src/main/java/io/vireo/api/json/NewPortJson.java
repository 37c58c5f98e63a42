package io.vireo.api.json;

import io.vireo.common.Names;
import org.jspecify.annotations.Nullable;

@Doc("A port to create on a network of the project.")
public record NewPortJson(
        @Doc(value = "The name of the project's network.", pattern = Patterns.NAME)
        String network,

        @Doc(value = "Optional: a name, unique among the project's ports.", pattern = Patterns.NAME) @Nullable
        String name,

        @Doc("Optional: the IPv4 address it must have, a free host address of a subnet of the network that is not its"
                + " gateway (default: the next free address of the first subnet with room; a released address is"
                + " held back for a while first).")
        @Nullable
        String ip,

        @Doc("Optional: the name or id of the project's VM that owns it; the port cannot be deleted while the VM"
                + " exists. Not plugged into the VM yet.")
        @Nullable
        String vm) {
    public NewPortJson {
        Names.require("network", network);
        if (name != null) {
            Names.require("name", name);
        }
    }
}
