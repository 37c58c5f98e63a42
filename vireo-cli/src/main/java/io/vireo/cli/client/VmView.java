package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A VM as the API shows it. Only {@code name} is required: every other field may be missing from an older or newer
 * server and is then null. Timestamps are kept as the server wrote them (ISO-8601).
 */
public record VmView(
        String name,
        @Nullable String id,
        @Nullable String project,
        @Nullable String state,
        @Nullable String stateReason,
        @Nullable String desiredState,
        @Nullable String host,
        @Nullable String hostId,
        @Nullable String flavor,
        @Nullable String image,
        @Nullable Integer vcpus,
        @Nullable Long memoryMib,
        @Nullable Long diskGib,
        @Nullable Long generation,
        @Nullable Long observedGeneration,
        @Nullable String createdAt,
        @Nullable String updatedAt,
        @Nullable String startedAt,
        @Nullable String serverGroup,
        @Nullable String availabilityZone,
        @Nullable List<String> traits,
        @Nullable List<Nic> nics,
        @Nullable String gangId,
        @Nullable Migration migration,
        @Nullable Ha ha) {
    public VmView {
        requireNonNull(name, "name is null");
    }

    /** What happens to the VM when its host is fenced. */
    public record Ha(@Nullable String policy, @Nullable Integer priority) {}

    /** A network interface of the VM. */
    public record Nic(@Nullable String mac) {}

    /** The VM's live migration in flight (the server sends null when none is). */
    public record Migration(
            @Nullable String id,
            @Nullable String state,
            @Nullable String sourceHost,
            @Nullable String destinationHost,
            @Nullable String startedAt) {}
}
