package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.MigrationGateway.Target;
import io.vireo.model.Migration.Figures;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What an agent reported about a migration.
 *
 * @param target set for {@link Phase#PREPARED}
 * @param figures set for {@link Phase#SOURCE_COMPLETED}
 * @param resumedAt set for {@link Phase#RESUMED}
 */
public record MigrationProgress(
        UUID migrationId,
        UUID vmId,
        Phase phase,
        @Nullable Target target,
        String error,
        @Nullable Figures figures,
        @Nullable Instant resumedAt) {
    public MigrationProgress {
        requireNonNull(migrationId, "migrationId is null");
        requireNonNull(vmId, "vmId is null");
        requireNonNull(phase, "phase is null");
        requireNonNull(error, "error is null");
    }

    /** The steps an agent reports. */
    public enum Phase {
        PREPARED,
        SOURCE_COMPLETED,
        RESUMED,
        FAILED
    }
}
