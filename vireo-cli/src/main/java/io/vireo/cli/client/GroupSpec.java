package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** The body of {@code POST /server-groups}. Values are checked by the server, which owns the rules. */
public record GroupSpec(
        String name, String policy, @Nullable Integer maxPerHost) {
    public GroupSpec {
        requireNonNull(name, "name is null");
        requireNonNull(policy, "policy is null");
    }
}
