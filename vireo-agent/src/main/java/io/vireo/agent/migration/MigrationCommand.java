package io.vireo.agent.migration;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.MigrationEndpoint;
import io.vireo.model.DesiredVm;
import java.util.UUID;

/** What the server asks of an agent about one live migration. */
public sealed interface MigrationCommand {
    UUID migrationId();

    UUID vmId();

    /** The correlation id of the call or action that asked for the migration; empty if none. */
    String correlationId();

    /** To the destination: prepare to receive {@code vm} from host {@code sourceHostId}. */
    record Prepare(UUID migrationId, DesiredVm vm, UUID sourceHostId, String correlationId)
            implements MigrationCommand {
        public Prepare {
            requireNonNull(migrationId, "migrationId is null");
            requireNonNull(vm, "vm is null");
            requireNonNull(sourceHostId, "sourceHostId is null");
            requireNonNull(correlationId, "correlationId is null");
        }

        public Prepare(UUID migrationId, DesiredVm vm, UUID sourceHostId) {
            this(migrationId, vm, sourceHostId, "");
        }

        @Override
        public UUID vmId() {
            return vm.vmId();
        }
    }

    /**
     * To the source: send VM {@code vmId}, placed there at epoch {@code sourceEpoch}, to {@code target} of host
     * {@code destinationHostId}.
     */
    record Start(
            UUID migrationId,
            UUID vmId,
            long sourceEpoch,
            MigrationEndpoint target,
            UUID destinationHostId,
            String correlationId)
            implements MigrationCommand {
        public Start {
            requireNonNull(migrationId, "migrationId is null");
            requireNonNull(vmId, "vmId is null");
            requireNonNull(target, "target is null");
            requireNonNull(destinationHostId, "destinationHostId is null");
            requireNonNull(correlationId, "correlationId is null");
        }
    }

    /** To the destination: the migration ended without the VM; drop the half-made VM. */
    record Abort(UUID migrationId, UUID vmId, String reason, String correlationId) implements MigrationCommand {
        public Abort {
            requireNonNull(migrationId, "migrationId is null");
            requireNonNull(vmId, "vmId is null");
            requireNonNull(reason, "reason is null");
            requireNonNull(correlationId, "correlationId is null");
        }

        public Abort(UUID migrationId, UUID vmId, String reason) {
            this(migrationId, vmId, reason, "");
        }
    }
}
