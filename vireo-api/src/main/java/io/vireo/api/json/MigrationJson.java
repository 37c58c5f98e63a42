package io.vireo.api.json;

import io.vireo.model.Migration;
import io.vireo.model.MigrationState;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("A live migration of a VM between two hosts.")
public record MigrationJson(
        UUID id,
        UUID vmId,

        @Doc("PREPARING and MIGRATING are in flight (the VM holds resources on both hosts); COMPLETED and FAILED are"
                + " final.")
        MigrationState state,

        @Doc("The host the VM was on.") String sourceHost,
        @Doc("The host the VM goes to.") String destinationHost,
        Instant requestedAt,

        @Doc("When it completed or failed; null while in flight.") @Nullable
        Instant finishedAt,

        @Doc("Why it failed; null otherwise.") @Nullable String error,

        @Doc("Disk copy plus memory migration as the source timed it, in ms; null until the source reports.") @Nullable
        Long totalMillis,

        @Doc("Copying the disk before the memory, in ms.") @Nullable
        Long diskCopyMillis,

        @Doc("QEMU's memory migration time, in ms.") @Nullable
        Long memoryMillis,

        @Doc("QEMU's downtime: how long the guest was paused, in ms.") @Nullable
        Long downtimeMillis,

        @Doc("Memory bytes sent.") @Nullable Long transferredBytes,

        @Doc("From the request to the end, in ms; null while in flight.") @Nullable
        Long elapsedMillis,

        @Nullable String correlationId) {
    public static MigrationJson of(Migration migration, String sourceHost, String destinationHost) {
        Migration.Figures figures = migration.figures();
        Instant finished = migration.finishedAt();
        return new MigrationJson(
                migration.id(),
                migration.vmId(),
                migration.state(),
                sourceHost,
                destinationHost,
                migration.requestedAt(),
                finished,
                migration.error(),
                figures == null ? null : figures.total().toMillis(),
                figures == null ? null : figures.diskCopy().toMillis(),
                figures == null ? null : figures.memory().toMillis(),
                figures == null ? null : figures.downtime().toMillis(),
                figures == null ? null : figures.transferredBytes(),
                finished == null
                        ? null
                        : Duration.between(migration.requestedAt(), finished).toMillis(),
                migration.correlationId());
    }
}
