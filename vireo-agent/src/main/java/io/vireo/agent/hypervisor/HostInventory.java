package io.vireo.agent.hypervisor;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Resources;
import java.util.List;

/** A host's capacity and capabilities (e.g. {@code accel:tcg}), as a driver reports them. */
public record HostInventory(Resources capacity, List<String> capabilities) {
    public HostInventory {
        requireNonNull(capacity, "capacity is null");
        capabilities = List.copyOf(capabilities);
    }
}
