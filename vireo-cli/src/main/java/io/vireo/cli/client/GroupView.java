package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A server group as the API shows it; every field but the name may be missing and is then null. */
public record GroupView(
        String name,
        @Nullable String id,
        @Nullable String project,
        @Nullable String policy,
        @Nullable Integer maxPerHost,
        @Nullable List<String> members,
        @Nullable String createdAt) {
    public GroupView {
        requireNonNull(name, "name is null");
    }
}
