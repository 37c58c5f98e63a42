package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One VM as its host's agent last saw it. {@code generation} is the spec generation the agent has applied;
 * {@code rebootCount} the number of reboots it has carried out; {@code epoch} the placement epoch it acts under;
 * {@code startedAt} when the running guest was started (unchanged while the same guest process keeps running).
 */
public record ObservedVm(
        UUID vmId,
        ObservedPower power,
        long generation,
        long rebootCount,
        long epoch,
        @Nullable Instant startedAt,
        String message) {
    public ObservedVm {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(power, "power is null");
        requireNonNull(message, "message is null");
    }
}
