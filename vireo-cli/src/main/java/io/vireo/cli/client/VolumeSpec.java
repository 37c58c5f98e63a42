package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

/** The body of {@code POST /volumes}. */
public record VolumeSpec(String name, long sizeGib) {
    public VolumeSpec {
        requireNonNull(name, "name is null");
    }
}
