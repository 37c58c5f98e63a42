package io.vireo.agent.hypervisor;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What a completed migration cost, as the source measured it.
 *
 * @param total from the start of the disk copy to the end of the memory migration
 * @param diskCopy copying the disk before memory migration started (zero without a disk)
 * @param memory QEMU's {@code total-time} of the memory migration
 * @param downtime QEMU's {@code downtime}: how long the guest was paused
 * @param transferredBytes memory bytes QEMU sent
 */
public record MigrationStats(
        Duration total, Duration diskCopy, Duration memory, Duration downtime, long transferredBytes) {
    public MigrationStats {
        requireNonNull(total, "total is null");
        requireNonNull(diskCopy, "diskCopy is null");
        requireNonNull(memory, "memory is null");
        requireNonNull(downtime, "downtime is null");
    }
}
