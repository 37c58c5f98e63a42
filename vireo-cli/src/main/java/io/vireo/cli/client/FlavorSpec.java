package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

/** The body of {@code POST /flavors}. Values are checked by the server, which owns the rules. */
public record FlavorSpec(String name, int vcpus, long memoryMib, long diskGib) {
    public FlavorSpec {
        requireNonNull(name, "name is null");
    }
}
