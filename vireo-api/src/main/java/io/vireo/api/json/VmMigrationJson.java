package io.vireo.api.json;

import io.vireo.model.Migration;
import io.vireo.model.MigrationState;
import java.time.Instant;
import java.util.UUID;

@Doc("A VM's live migration in flight, as shown on the VM; the whole record is at /vms/{nameOrId}/migrations/{id}.")
public record VmMigrationJson(
        UUID id,

        @Doc("PREPARING (the destination gets ready) or MIGRATING (the source is sending).")
        MigrationState state,

        @Doc("The host the VM runs on until the migration completes.")
        String sourceHost,

        @Doc("The host the VM goes to.") String destinationHost,
        @Doc("When the migration was requested.") Instant startedAt) {
    public static VmMigrationJson of(Migration migration, String sourceHost, String destinationHost) {
        return new VmMigrationJson(
                migration.id(), migration.state(), sourceHost, destinationHost, migration.requestedAt());
    }
}
