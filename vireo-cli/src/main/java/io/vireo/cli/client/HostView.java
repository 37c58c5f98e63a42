package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A hypervisor host as the API shows it; every field but {@code name} may be missing. */
public record HostView(
        String name,
        @Nullable String id,
        @Nullable String state,
        @Nullable String driver,
        @Nullable List<String> capabilities,
        @Nullable Resources capacity,
        @Nullable Resources allocated,
        @Nullable Usage usage,
        @Nullable String lastHeartbeatAt,
        @Nullable String createdAt,
        @Nullable CapacityPolicy capacityPolicy,
        @Nullable Resources effectiveCapacity,
        @Nullable Resources agentReserved,
        @Nullable String capacityNote) {
    public HostView {
        requireNonNull(name, "name is null");
        capabilities = capabilities == null ? null : List.copyOf(capabilities);
    }

    /** An amount of the three resources Vireo allocates. */
    public record Resources(
            @Nullable Long vcpus,
            @Nullable Long memoryMib,
            @Nullable Long diskGib) {}

    /**
     * Reserved amounts and allocation ratios; {@code overridden} if an operator set them; {@code reservedBy} where each
     * reservation comes from.
     */
    public record CapacityPolicy(
            @Nullable Resources reserved,
            @Nullable Ratios allocationRatios,
            @Nullable Boolean overridden,
            @Nullable ReservedBy reservedBy) {}

    /** {@code operator}, {@code agent} or {@code server}, per resource class. */
    public record ReservedBy(
            @Nullable String vcpus,
            @Nullable String memoryMib,
            @Nullable String diskGib) {}

    /** Allocation ratios per resource class. */
    public record Ratios(
            @Nullable Double vcpu,
            @Nullable Double memory,
            @Nullable Double disk) {}

    /** What the host's agent last reported. */
    public record Usage(
            @Nullable Double cpuPercent,
            @Nullable Long memoryUsedMib,
            @Nullable Long diskUsedGib,
            @Nullable Long runningVms) {}
}
