package io.vireo.cli.client;

import org.jspecify.annotations.Nullable;

/** A VM's latest resource-use sample as the API shows it; every field may be missing. */
public record VmStatsView(
        @Nullable String vmId,
        @Nullable String sampledAt,
        @Nullable Boolean synthetic,
        @Nullable Cpu cpu,
        @Nullable Memory memory,
        @Nullable Disk disk,
        @Nullable Network network) {
    public record Cpu(
            @Nullable Double percent,
            @Nullable Long timeMillis,
            @Nullable Integer vcpus) {}

    public record Memory(
            @Nullable Long residentBytes,
            @Nullable Long guestBytes,
            @Nullable Long guestTotalBytes,
            @Nullable Long guestAvailableBytes) {}

    public record Disk(
            @Nullable Long readBytes,
            @Nullable Long writtenBytes,
            @Nullable Long readOperations,
            @Nullable Long writeOperations) {}

    public record Network(
            @Nullable Long receivedBytes, @Nullable Long transmittedBytes) {}
}
