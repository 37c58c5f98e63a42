package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/** The body of {@code POST /ports}: a null {@code ip} asks for the next free address. */
public record PortSpec(
        String network,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String name,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String ip,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String vm) {
    public PortSpec {
        requireNonNull(network, "network is null");
    }
}
