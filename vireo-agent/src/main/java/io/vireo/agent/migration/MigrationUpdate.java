package io.vireo.agent.migration;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.MigrationEndpoint;
import io.vireo.agent.hypervisor.MigrationStats;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What an agent reports about one live migration: one step reached, with what the server needs of it.
 *
 * @param target where the destination listens ({@link Phase#PREPARED} only)
 * @param error why it failed ({@link Phase#FAILED} only), else empty
 * @param stats the source's figures ({@link Phase#SOURCE_COMPLETED} only)
 * @param resumedAt when the VM ran on the destination ({@link Phase#RESUMED} only)
 */
public record MigrationUpdate(
        UUID migrationId,
        UUID vmId,
        Phase phase,
        @Nullable MigrationEndpoint target,
        String error,
        @Nullable MigrationStats stats,
        @Nullable Instant resumedAt) {
    public MigrationUpdate {
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

    static MigrationUpdate prepared(UUID migrationId, UUID vmId, MigrationEndpoint target) {
        return new MigrationUpdate(migrationId, vmId, Phase.PREPARED, target, "", null, null);
    }

    static MigrationUpdate sent(UUID migrationId, UUID vmId, MigrationStats stats) {
        return new MigrationUpdate(migrationId, vmId, Phase.SOURCE_COMPLETED, null, "", stats, null);
    }

    static MigrationUpdate resumed(UUID migrationId, UUID vmId, Instant at) {
        return new MigrationUpdate(migrationId, vmId, Phase.RESUMED, null, "", null, at);
    }

    static MigrationUpdate failed(UUID migrationId, UUID vmId, String error) {
        return new MigrationUpdate(migrationId, vmId, Phase.FAILED, null, error, null, null);
    }
}
