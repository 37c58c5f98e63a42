package io.vireo.agent.hypervisor;

import static java.util.Objects.requireNonNull;

import io.vireo.model.ObservedPower;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One VM as the driver sees it. {@code startedAt} stays the same for as long as the same guest keeps running. */
public record DriverVm(
        UUID vmId, ObservedPower power, @Nullable Instant startedAt, String message) {
    public DriverVm {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(power, "power is null");
        requireNonNull(message, "message is null");
    }
}
