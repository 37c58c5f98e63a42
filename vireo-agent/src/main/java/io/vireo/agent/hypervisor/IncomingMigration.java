package io.vireo.agent.hypervisor;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A destination ready for an incoming migration.
 *
 * @param endpoint where the source sends to
 * @param running completes with the instant the VM runs on the destination; fails if the migration fails there
 */
public record IncomingMigration(UUID vmId, MigrationEndpoint endpoint, CompletableFuture<Instant> running) {
    public IncomingMigration {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(running, "running is null");
    }
}
