package io.vireo.agent.migration;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.MigrationEndpoint;
import io.vireo.model.DesiredVm;
import java.util.UUID;

/** What the server asks of an agent about one live migration. */
public sealed interface MigrationCommand {
    UUID migrationId();

    UUID vmId();

    /** To the destination: prepare to receive {@code vm} from host {@code sourceHostId}. */
    record Prepare(UUID migrationId, DesiredVm vm, UUID sourceHostId) implements MigrationCommand {
        public Prepare {
            requireNonNull(migrationId, "migrationId is null");
            requireNonNull(vm, "vm is null");
            requireNonNull(sourceHostId, "sourceHostId is null");
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
    record Start(UUID migrationId, UUID vmId, long sourceEpoch, MigrationEndpoint target, UUID destinationHostId)
            implements MigrationCommand {
        public Start {
            requireNonNull(migrationId, "migrationId is null");
            requireNonNull(vmId, "vmId is null");
            requireNonNull(target, "target is null");
            requireNonNull(destinationHostId, "destinationHostId is null");
        }
    }

    /** To the destination: the migration ended without the VM; drop the half-made VM. */
    record Abort(UUID migrationId, UUID vmId, String reason) implements MigrationCommand {
        public Abort {
            requireNonNull(migrationId, "migrationId is null");
            requireNonNull(vmId, "vmId is null");
            requireNonNull(reason, "reason is null");
        }
    }
}
