package io.vireo.api.json;

import io.vireo.common.Names;
import org.jspecify.annotations.Nullable;

@Doc("Where to live-migrate a VM.")
public record MigrateVmJson(
        @Doc(
                value = "The destination host's name; absent or null: the scheduler picks one other than the VM's.",
                pattern = Patterns.NAME)
        @Nullable
        String host) {
    public MigrateVmJson {
        if (host != null) {
            Names.require("host", host);
        }
    }
}
