package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Migration;
import io.vireo.model.MigrationState;
import io.vireo.model.Resources;
import java.util.UUID;

/**
 * What a claim does to one VM, on one host, besides claiming that host's resources: each transition has a
 * precondition on the VM that the store checks in the claim's transaction ({@link ClaimResult.VmChanged} if it does
 * not hold) and an effect it writes in it.
 *
 * <p>Extension point: a placement that is none of these is a new member of this sealed type, never a second claim
 * path. The next one is the restart of a VM whose host is dead (evacuation, HA): precondition, the VM is on that host
 * at the epoch the caller read (and the host is fenced); effect, its allocation moves to the new host and the VM is
 * placed there with the next epoch. Both stores switch over this type, so the compiler lists every place that must
 * learn a new transition.
 */
public sealed interface VmTransition permits VmTransition.Place, VmTransition.HoldForMigration {
    UUID vmId();

    /** The host whose resources the transition claims. */
    UUID hostId();

    /** What it claims there; the host's demand in the request is the sum over its transitions. */
    Resources resources();

    /**
     * Places a pending VM on a host: a create, or one member of a gang.
     *
     * <p>Precondition: the VM exists, is unplaced, PENDING and not being deleted. Effect: the VM's host is set, its
     * epoch goes up by one, its state is SCHEDULED (no reason), its {@code updatedAt} is the request's time; an
     * allocation of {@code resources} on the host is recorded for it (what its release frees).
     */
    record Place(UUID vmId, UUID hostId, Resources resources) implements VmTransition {
        public Place {
            requireNonNull(vmId, "vmId is null");
            requireNonNull(hostId, "hostId is null");
            requireNonNull(resources, "resources is null");
        }
    }

    /**
     * Holds a migrating VM's resources on its destination and records the migration.
     *
     * <p>Precondition: the VM is on the migration's source at the migration's source epoch, not being deleted, and has
     * no migration in flight. Effect: {@code migration} is recorded as PREPARING; the destination holds
     * {@link Migration#resources()} (no allocation of the VM's: the hold becomes its allocation when the migration
     * completes, or is released when it fails, through {@link MigrationRepository}).
     */
    record HoldForMigration(Migration migration) implements VmTransition {
        public HoldForMigration {
            requireNonNull(migration, "migration is null");
            if (migration.state() != MigrationState.PREPARING) {
                throw new IllegalArgumentException("a migration is claimed as PREPARING, not " + migration.state());
            }
        }

        @Override
        public UUID vmId() {
            return migration.vmId();
        }

        @Override
        public UUID hostId() {
            return migration.destinationHostId();
        }

        @Override
        public Resources resources() {
            return migration.resources();
        }
    }
}
