package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

/** The body of {@code POST /vms}. */
public record VmSpec(String name, String flavor, String image) {
    public VmSpec {
        requireNonNull(name, "name is null");
        requireNonNull(flavor, "flavor is null");
        requireNonNull(image, "image is null");
    }
}
