package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

/** The body of {@code POST /images}. Values are checked by the server, which owns the rules. */
public record ImageSpec(String name, String format) {
    public ImageSpec {
        requireNonNull(name, "name is null");
        requireNonNull(format, "format is null");
    }
}
