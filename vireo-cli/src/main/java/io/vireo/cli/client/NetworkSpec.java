package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/** The body of {@code POST /networks}; a null {@code mtu} means the server's default. */
public record NetworkSpec(
        String name,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer mtu,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean external) {
    public NetworkSpec {
        requireNonNull(name, "name is null");
    }
}
