package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.controller.port.ClaimRepository;
import io.vireo.controller.port.ClaimRequest;
import io.vireo.controller.port.ClaimRequest.HostClaim;
import io.vireo.controller.port.ClaimResult;
import io.vireo.controller.port.VmTransition;
import io.vireo.model.Host;
import io.vireo.model.Migration;
import io.vireo.model.Resources;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The one claim path, on PostgreSQL. A claim is one READ COMMITTED transaction: the server groups of its VMs locked
 * ({@link PostgresGroupRules}); then per unit (the whole request, or each host of a per-host request under a savepoint
 * of its own), each host's conditional write on its resource generation and free room, each VM's conditional write or
 * locked check, the groups' hard rule, and the allocations and migration rows. A refused unit is rolled back whole.
 * Under READ COMMITTED a concurrent claim on the same host blocks on the host row and then re-checks the generation of
 * the committed row, so exactly one of two racing claims wins.
 *
 * <p>Lock order: every transaction here locks group rows (in id order) before host rows (in id order) before VM rows
 * (in id order) before migration rows, the order {@link PostgresMigrationRepository} uses too, so claims, releases and
 * migrations cannot deadlock each other. Thread-safe.
 */
final class PostgresClaimRepository implements ClaimRepository {
    /** A host's conditional write, answering the row as written; a deleted host takes no claim (ADR 26). */
    private static final String ALLOCATE_ON_HOST = """
            UPDATE hosts SET allocated_vcpus = allocated_vcpus + ?,
                             allocated_memory_mib = allocated_memory_mib + ?,
                             allocated_disk_gib = allocated_disk_gib + ?,
                             resource_generation = resource_generation + 1
            WHERE id = ? AND resource_generation = ? AND deleted_at IS NULL
              AND allocated_vcpus::bigint + ? <= effective_vcpus
              AND allocated_memory_mib + ? <= effective_memory_mib
              AND allocated_disk_gib + ? <= effective_disk_gib
            RETURNING """ + " " + Rows.HOST_COLUMNS;

    private static final String PLACE_VM = """
            UPDATE vms SET host_id = ?, epoch = epoch + 1, state = 'SCHEDULED', state_reason = NULL, updated_at = ?
            WHERE id = ? AND host_id IS NULL AND state = 'PENDING' AND desired_state <> 'DELETED'""";

    /** The first of the VMs that cannot be placed (unknown, placed, not PENDING or being deleted). */
    private static final String FIRST_UNPLACEABLE = """
            SELECT t.id FROM unnest(?::uuid[]) WITH ORDINALITY AS t(id, n)
            WHERE NOT EXISTS (SELECT 1 FROM vms v WHERE v.id = t.id AND v.host_id IS NULL AND v.state = 'PENDING'
                                                    AND v.desired_state <> 'DELETED')
            ORDER BY t.n LIMIT 1""";

    /** Whether the VM is on the migration's source at its epoch and not being deleted. */
    private static final String ON_SOURCE = """
            SELECT host_id = ? AND epoch = ? AND desired_state <> 'DELETED' FROM vms WHERE id = ?""";

    private static final String MIGRATING =
            "SELECT count(*) FROM migrations WHERE vm_id = ? AND state IN ('PREPARING', 'MIGRATING')";

    private static final String INSERT_ALLOCATION = """
            INSERT INTO allocations (vm_id, host_id, created_at, vcpus, memory_mib, disk_gib)
            VALUES (?, ?, ?, ?, ?, ?)""";

    private static final String INSERT_MIGRATION = """
            INSERT INTO migrations (id, vm_id, source_host_id, destination_host_id, state, vcpus, memory_mib, disk_gib,
                                    source_epoch, correlation_id, created_at)
            VALUES (?, ?, ?, ?, 'PREPARING', ?, ?, ?, ?, ?, ?)""";

    private static final String VM_HOST = "SELECT host_id, epoch FROM vms WHERE id = ?";

    private static final String LOCK_HOST = "SELECT id FROM hosts WHERE id = ? FOR NO KEY UPDATE";

    private static final String DELETE_ALLOCATION = """
            DELETE FROM allocations WHERE vm_id = ? RETURNING host_id, vcpus, memory_mib, disk_gib""";

    static final String RELEASE_ON_HOST = """
            UPDATE hosts SET allocated_vcpus = GREATEST(0, allocated_vcpus - ?),
                             allocated_memory_mib = GREATEST(0, allocated_memory_mib - ?),
                             allocated_disk_gib = GREATEST(0, allocated_disk_gib - ?),
                             resource_generation = resource_generation + 1
            WHERE id = ?""";

    private static final String MARK_DELETED = """
            UPDATE vms SET state = 'DELETED', state_reason = NULL, observed_generation = generation,
                           started_at = NULL, updated_at = ?
            WHERE id = ?""";

    private static final Comparator<HostClaim> BY_HOST_ID =
            Comparator.comparing(h -> h.hostId().toString());
    private static final Comparator<VmTransition> BY_VM_ID =
            Comparator.comparing(t -> t.vmId().toString());

    private final Jdbc jdbc;

    PostgresClaimRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        return jdbc.inTransaction(connection -> {
            PostgresGroupRules groups = PostgresGroupRules.lock(connection, request.transitions());
            if (request.atomicity() == ClaimRequest.Atomicity.ALL_OR_NOTHING) {
                ClaimResult result =
                        claimUnit(connection, groups, request.hosts(), request.transitions(), request.now());
                if (result instanceof ClaimResult.Refused) {
                    connection.rollback();
                }
                return result;
            }
            return claimPerHost(connection, groups, request);
        });
    }

    /** Each host on its own, in id order, under a savepoint that a refusal rolls back to. */
    private static ClaimResult claimPerHost(Connection connection, PostgresGroupRules groups, ClaimRequest request)
            throws SQLException {
        Map<UUID, Host> claimed = new HashMap<>();
        Map<UUID, ClaimResult.Refused> refused = new HashMap<>();
        for (HostClaim host : request.hosts().stream().sorted(BY_HOST_ID).toList()) {
            Savepoint savepoint = connection.setSavepoint();
            ClaimResult result =
                    claimUnit(connection, groups, List.of(host), request.transitionsOn(host.hostId()), request.now());
            if (result instanceof ClaimResult.Refused refusal) {
                connection.rollback(savepoint);
                refused.put(host.hostId(), refusal);
            } else {
                connection.releaseSavepoint(savepoint);
                claimed.put(host.hostId(), result.claimedHosts().get(0));
            }
        }
        List<Host> inRequestOrder = request.hosts().stream()
                .map(host -> claimed.get(host.hostId()))
                .filter(Objects::nonNull)
                .toList();
        return refused.isEmpty()
                ? new ClaimResult.Claimed(inRequestOrder)
                : new ClaimResult.PerHost(inRequestOrder, refused);
    }

    /**
     * One unit: hosts, VMs, group rules, then the rows the transitions add. Returns a refusal having rolled back
     * nothing itself (the caller does), or the hosts as written in the unit's order.
     */
    private static ClaimResult claimUnit(
            Connection connection,
            PostgresGroupRules groups,
            List<HostClaim> hosts,
            List<VmTransition> transitions,
            Instant now)
            throws SQLException {
        Map<UUID, Host> written = new HashMap<>();
        for (HostClaim claim : hosts.stream().sorted(BY_HOST_ID).toList()) {
            Optional<Host> host = allocate(connection, claim);
            if (host.isEmpty()) {
                // A VM that cannot take its transition is reported as such even if a host moved too: nothing to
                // re-plan.
                Optional<UUID> unready = firstUnready(connection, transitions);
                return unready.isPresent()
                        ? new ClaimResult.VmChanged(unready.get())
                        : new ClaimResult.HostChanged(claim.hostId());
            }
            written.put(claim.hostId(), host.get());
        }
        for (VmTransition transition : transitions.stream().sorted(BY_VM_ID).toList()) {
            if (!take(connection, transition, now)) {
                return new ClaimResult.VmChanged(transition.vmId());
            }
        }
        Optional<ClaimResult.Refused> broken = groups.broken(connection, transitions);
        if (broken.isPresent()) {
            return broken.get();
        }
        for (VmTransition transition : transitions) {
            record(connection, transition, now);
        }
        return new ClaimResult.Claimed(hosts.stream()
                .map(claim -> requireNonNull(written.get(claim.hostId())))
                .toList());
    }

    private static Optional<Host> allocate(Connection connection, HostClaim claim) throws SQLException {
        Resources demand = claim.demand();
        return Jdbc.queryOne(
                connection,
                ALLOCATE_ON_HOST,
                Rows::host,
                demand.vcpus(),
                demand.memoryMib(),
                demand.diskGib(),
                claim.hostId(),
                claim.expectedGeneration(),
                demand.vcpus(),
                demand.memoryMib(),
                demand.diskGib());
    }

    /**
     * The transition's precondition, as a write that takes the VM's row lock: a placement's conditional update, or a
     * migration's locked check. False, having changed nothing that the caller does not roll back, if it does not hold.
     */
    private static boolean take(Connection connection, VmTransition transition, Instant now) throws SQLException {
        return switch (transition) {
            case VmTransition.Place place -> Jdbc.update(connection, PLACE_VM, place.hostId(), now, place.vmId()) == 1;
            case VmTransition.HoldForMigration hold -> holdReady(connection, hold.migration(), " FOR UPDATE");
        };
    }

    /** The first VM (in request order) whose transition's precondition does not hold, read without a lock. */
    private static Optional<UUID> firstUnready(Connection connection, List<VmTransition> transitions)
            throws SQLException {
        Object placed = new Rows.SqlArray(
                "uuid",
                transitions.stream()
                        .filter(VmTransition.Place.class::isInstance)
                        .map(VmTransition::vmId)
                        .toArray());
        Optional<UUID> unplaceable = Jdbc.queryOne(connection, FIRST_UNPLACEABLE, row -> Rows.uuid(row, "id"), placed);
        if (unplaceable.isPresent()) {
            return unplaceable;
        }
        for (VmTransition transition : transitions) {
            if (transition instanceof VmTransition.HoldForMigration hold
                    && !holdReady(connection, hold.migration(), "")) {
                return Optional.of(hold.vmId());
            }
        }
        return Optional.empty();
    }

    /** The VM is on the migration's source at its epoch, not being deleted and not migrating. */
    private static boolean holdReady(Connection connection, Migration migration, String lock) throws SQLException {
        boolean onSource = Jdbc.queryOne(
                        connection,
                        ON_SOURCE + lock,
                        row -> row.getBoolean(1),
                        migration.sourceHostId(),
                        migration.sourceEpoch(),
                        migration.vmId())
                .orElse(false);
        return onSource
                && Jdbc.queryOne(connection, MIGRATING, row -> row.getLong(1), migration.vmId())
                                .orElse(0L)
                        == 0;
    }

    /** The rows a transition adds once its unit is claimed: a placement's allocation, a migration. */
    private static void record(Connection connection, VmTransition transition, Instant now) throws SQLException {
        Resources resources = transition.resources();
        switch (transition) {
            case VmTransition.Place place ->
                Jdbc.update(
                        connection,
                        INSERT_ALLOCATION,
                        place.vmId(),
                        place.hostId(),
                        now,
                        resources.vcpus(),
                        resources.memoryMib(),
                        resources.diskGib());
            case VmTransition.HoldForMigration hold -> {
                Migration migration = hold.migration();
                Jdbc.update(
                        connection,
                        INSERT_MIGRATION,
                        migration.id(),
                        migration.vmId(),
                        migration.sourceHostId(),
                        migration.destinationHostId(),
                        resources.vcpus(),
                        resources.memoryMib(),
                        resources.diskGib(),
                        migration.sourceEpoch(),
                        migration.correlationId(),
                        migration.requestedAt());
            }
        }
    }

    /**
     * Locks the VM's host (if it has one) before the VM, as a claim does. The host is read first without a lock; if a
     * claim placed the VM in between, the locked re-read sees another host and the transaction starts over, at most
     * {@code transactionAttempts} times in all.
     */
    @Override
    public boolean releaseAndMarkDeleted(UUID vmId, Instant now) {
        return releaseAndMarkDeleted(vmId, null, now);
    }

    @Override
    public boolean releaseAndMarkDeleted(UUID vmId, UUID hostId, long epoch, Instant now) {
        return releaseAndMarkDeleted(vmId, new Placed(hostId, epoch), now);
    }

    /** Where a host's report saw the VM. */
    private record Placed(UUID hostId, long epoch) {}

    private boolean releaseAndMarkDeleted(UUID vmId, @Nullable Placed expected, Instant now) {
        for (int attempt = 0; attempt < jdbc.transactionAttempts(); attempt++) {
            Release outcome = jdbc.inTransaction(connection -> release(connection, vmId, expected, now));
            if (outcome != Release.HOST_CHANGED) {
                return outcome == Release.DONE;
            }
        }
        throw new StoreException(ErrorCode.UNAVAILABLE, "VM " + vmId + " kept changing host; try again");
    }

    private static final String UNPLACE_FOR_RESTART = """
            UPDATE vms SET host_id = NULL, epoch = epoch + 1, state = 'PENDING', state_reason = ?, started_at = NULL,
                           updated_at = ?,
                           placement_holder = NULL, placement_held_until = NULL
            WHERE id = ?""";

    @Override
    public boolean releaseForRestart(UUID vmId, UUID hostId, long epoch, String reason, Instant now) {
        return jdbc.inTransaction(connection -> {
            boolean fenced = Jdbc.queryOne(
                            connection,
                            "SELECT state FROM hosts WHERE id = ? FOR NO KEY UPDATE",
                            row -> row.getString(1),
                            hostId)
                    .filter("FENCED"::equals)
                    .isPresent();
            boolean placed = fenced
                    && Jdbc.queryOne(
                                    connection,
                                    "SELECT id FROM vms WHERE id = ? AND host_id = ? AND epoch = ? AND state <> 'DELETED'"
                                            + " FOR UPDATE",
                                    row -> row.getObject(1, UUID.class),
                                    vmId,
                                    hostId,
                                    epoch)
                            .isPresent();
            if (!placed
                    || Jdbc.queryOne(connection, MIGRATING, row -> row.getLong(1), vmId)
                                    .orElse(0L)
                            > 0) {
                connection.rollback();
                return false;
            }
            releaseAllocation(connection, vmId);
            Jdbc.update(connection, UNPLACE_FOR_RESTART, reason, now, vmId);
            return true;
        });
    }

    /** What one attempt of {@link #releaseAndMarkDeleted} did. */
    private enum Release {
        DONE,
        /** The VM's host changed before it was locked: nothing written, try again. */
        HOST_CHANGED,
        /** A live migration of the VM is in flight: nothing written. */
        MIGRATING,
        /** The VM is no longer where the caller saw it: nothing written. */
        MOVED
    }

    private static Release release(Connection connection, UUID vmId, @Nullable Placed expected, Instant now)
            throws SQLException {
        Optional<Placement> unlocked = Jdbc.queryOne(connection, VM_HOST, Placement::of, vmId);
        if (unlocked.isEmpty()) {
            return Release.DONE;
        }
        UUID hostId = unlocked.get().hostId();
        if (hostId != null) {
            Jdbc.queryOne(connection, LOCK_HOST, row -> row.getObject(1, UUID.class), hostId);
        }
        Optional<Placement> locked = Jdbc.queryOne(connection, VM_HOST + " FOR UPDATE", Placement::of, vmId);
        if (locked.isEmpty()) {
            return Release.DONE;
        }
        if (!Objects.equals(locked.get().hostId(), hostId)) {
            connection.rollback();
            return Release.HOST_CHANGED;
        }
        if (expected != null
                && (!expected.hostId().equals(hostId)
                        || expected.epoch() != locked.get().epoch())) {
            connection.rollback();
            return Release.MOVED;
        }
        // Under the VM's lock: a migration completes or starts only with the VM locked too.
        long migrating = Jdbc.queryOne(connection, MIGRATING, row -> row.getLong(1), vmId)
                .orElse(0L);
        if (migrating > 0) {
            connection.rollback();
            return Release.MIGRATING;
        }
        releaseAllocation(connection, vmId);
        PostgresVolumeRepository.release(connection, vmId, hostId);
        Jdbc.update(connection, MARK_DELETED, now, vmId);
        return Release.DONE;
    }

    /** Deletes the VM's allocation, if it has one, and gives its resources back to its host (whose generation moves). */
    private static void releaseAllocation(Connection connection, UUID vmId) throws SQLException {
        Optional<Allocation> released = Jdbc.queryOne(connection, DELETE_ALLOCATION, Allocation::of, vmId);
        if (released.isPresent()) {
            Resources resources = released.get().resources();
            Jdbc.update(
                    connection,
                    RELEASE_ON_HOST,
                    resources.vcpus(),
                    resources.memoryMib(),
                    resources.diskGib(),
                    released.get().hostId());
        }
    }

    /** Where a VM is placed, if anywhere. */
    private record Placement(@Nullable UUID hostId, long epoch) {
        static Placement of(ResultSet row) throws SQLException {
            return new Placement(row.getObject("host_id", UUID.class), row.getLong("epoch"));
        }
    }

    /** One row of {@code allocations}. */
    private record Allocation(UUID hostId, Resources resources) {
        static Allocation of(ResultSet row) throws SQLException {
            UUID hostId = row.getObject("host_id", UUID.class);
            if (hostId == null) {
                throw new SQLException("allocations.host_id is null");
            }
            return new Allocation(hostId, Rows.resources(row, ""));
        }
    }
}
