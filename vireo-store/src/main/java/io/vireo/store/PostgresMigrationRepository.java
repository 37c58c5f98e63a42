package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.MigrationRepository;
import io.vireo.model.Migration;
import io.vireo.model.MigrationState;
import io.vireo.model.Resources;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Live migrations on PostgreSQL, and the transactions that settle what they hold. A migration's destination is claimed
 * through {@link PostgresClaimRepository} (a {@code HoldForMigration} transition, which inserts the migration row).
 * Every transaction here locks host rows (in id order) before the VM row before the migration row, the order
 * {@link PostgresClaimRepository} uses, so none of them deadlocks with a claim or a release. Thread-safe.
 */
final class PostgresMigrationRepository implements MigrationRepository {
    private static final String COLUMNS = "id, vm_id, source_host_id, destination_host_id, state, vcpus, memory_mib,"
            + " disk_gib, source_epoch, error, correlation_id, created_at, finished_at, total_millis,"
            + " disk_copy_millis, memory_millis, downtime_millis, transferred_bytes";

    private static final String IN_FLIGHT = "('PREPARING', 'MIGRATING')";

    private static final String LOCK_VM = """
            SELECT host_id = ? AND epoch = ? AND desired_state <> 'DELETED' FROM vms WHERE id = ? FOR UPDATE""";

    private static final String LOCK_HOST = "SELECT id FROM hosts WHERE id = ? FOR NO KEY UPDATE";

    private static final String LOCK_IN_FLIGHT =
            "SELECT " + COLUMNS + " FROM migrations WHERE id = ? AND state IN " + IN_FLIGHT + " FOR UPDATE";

    private static final String DELETE_ALLOCATION = """
            DELETE FROM allocations WHERE vm_id = ? RETURNING vcpus, memory_mib, disk_gib""";

    private static final String INSERT_ALLOCATION = """
            INSERT INTO allocations (vm_id, host_id, created_at, vcpus, memory_mib, disk_gib)
            VALUES (?, ?, ?, ?, ?, ?)""";

    /** The destination's hold becomes the VM's allocation (normally the same amounts). */
    private static final String SWAP_ON_DESTINATION = """
            UPDATE hosts SET allocated_vcpus = GREATEST(0, allocated_vcpus - ?) + ?,
                             allocated_memory_mib = GREATEST(0, allocated_memory_mib - ?) + ?,
                             allocated_disk_gib = GREATEST(0, allocated_disk_gib - ?) + ?,
                             resource_generation = resource_generation + 1
            WHERE id = ?""";

    private static final String RENEW_VM =
            "UPDATE vms SET epoch = epoch + 1, updated_at = ? WHERE id = ? AND host_id = ? AND epoch = ?";
    private static final String MOVE_VM = "UPDATE vms SET host_id = ?, epoch = epoch + 1, updated_at = ? WHERE id = ?";

    /** The VM's volume files were copied with it: their data is on the destination now. */
    private static final String MOVE_VOLUMES = "UPDATE volumes SET host_id = ? WHERE vm_id = ?";

    private static final String FINISH =
            "UPDATE migrations SET state = ?, error = ?, finished_at = ? WHERE id = ? AND state IN " + IN_FLIGHT;

    private final Jdbc jdbc;

    PostgresMigrationRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public boolean markMigrating(UUID migrationId, Instant now) {
        return jdbc.autoCommit(connection -> Jdbc.update(
                        connection,
                        "UPDATE migrations SET state = 'MIGRATING' WHERE id = ? AND state = 'PREPARING'",
                        migrationId)
                == 1);
    }

    @Override
    public boolean complete(UUID migrationId, Instant now) {
        Optional<Migration> unlocked = find(migrationId);
        if (unlocked.isEmpty() || !unlocked.get().state().inFlight()) {
            return false;
        }
        Migration seen = unlocked.get();
        return jdbc.inTransaction(connection -> {
            lockHosts(connection, seen.sourceHostId(), seen.destinationHostId());
            boolean vmThere = Jdbc.queryOne(
                            connection,
                            LOCK_VM.replace(" AND desired_state <> 'DELETED'", ""),
                            row -> row.getBoolean(1),
                            seen.sourceHostId(),
                            seen.sourceEpoch(),
                            seen.vmId())
                    .orElse(false);
            Optional<Migration> locked =
                    Jdbc.queryOne(connection, LOCK_IN_FLIGHT, PostgresMigrationRepository::migration, migrationId);
            if (!vmThere || locked.isEmpty()) {
                connection.rollback();
                return false;
            }
            Migration migration = locked.get();
            Resources allocation = Jdbc.queryOne(
                            connection, DELETE_ALLOCATION, row -> Rows.resources(row, ""), migration.vmId())
                    .orElse(migration.resources());
            Jdbc.update(
                    connection,
                    PostgresClaimRepository.RELEASE_ON_HOST,
                    allocation.vcpus(),
                    allocation.memoryMib(),
                    allocation.diskGib(),
                    migration.sourceHostId());
            Resources hold = migration.resources();
            Jdbc.update(
                    connection,
                    SWAP_ON_DESTINATION,
                    hold.vcpus(),
                    allocation.vcpus(),
                    hold.memoryMib(),
                    allocation.memoryMib(),
                    hold.diskGib(),
                    allocation.diskGib(),
                    migration.destinationHostId());
            Jdbc.update(
                    connection,
                    INSERT_ALLOCATION,
                    migration.vmId(),
                    migration.destinationHostId(),
                    now,
                    allocation.vcpus(),
                    allocation.memoryMib(),
                    allocation.diskGib());
            Jdbc.update(connection, MOVE_VM, migration.destinationHostId(), now, migration.vmId());
            Jdbc.update(connection, MOVE_VOLUMES, migration.destinationHostId(), migration.vmId());
            Jdbc.update(connection, FINISH, MigrationState.COMPLETED, null, now, migrationId);
            return true;
        });
    }

    @Override
    public boolean fail(UUID migrationId, String error, Instant now) {
        return fail(migrationId, error, false, now);
    }

    @Override
    public boolean failAndRenew(UUID migrationId, String error, Instant now) {
        return fail(migrationId, error, true, now);
    }

    private boolean fail(UUID migrationId, String error, boolean renew, Instant now) {
        Optional<Migration> unlocked = find(migrationId);
        if (unlocked.isEmpty() || !unlocked.get().state().inFlight()) {
            return false;
        }
        return jdbc.inTransaction(connection -> {
            lockHosts(
                    connection,
                    unlocked.get().destinationHostId(),
                    unlocked.get().destinationHostId());
            Optional<Migration> locked =
                    Jdbc.queryOne(connection, LOCK_IN_FLIGHT, PostgresMigrationRepository::migration, migrationId);
            if (locked.isEmpty()) {
                connection.rollback();
                return false;
            }
            Resources hold = locked.get().resources();
            Jdbc.update(
                    connection,
                    PostgresClaimRepository.RELEASE_ON_HOST,
                    hold.vcpus(),
                    hold.memoryMib(),
                    hold.diskGib(),
                    locked.get().destinationHostId());
            Jdbc.update(connection, FINISH, MigrationState.FAILED, error, now, migrationId);
            if (renew) {
                Migration failed = locked.get();
                Jdbc.update(connection, RENEW_VM, now, failed.vmId(), failed.sourceHostId(), failed.sourceEpoch());
            }
            return true;
        });
    }

    @Override
    public void recordFigures(UUID migrationId, Migration.Figures figures) {
        jdbc.autoCommit(connection -> Jdbc.update(
                connection,
                "UPDATE migrations SET total_millis = ?, disk_copy_millis = ?, memory_millis = ?,"
                        + " downtime_millis = ?, transferred_bytes = ? WHERE id = ?",
                figures.total().toMillis(),
                figures.diskCopy().toMillis(),
                figures.memory().toMillis(),
                figures.downtime().toMillis(),
                figures.transferredBytes(),
                migrationId));
    }

    @Override
    public Optional<Migration> find(UUID migrationId) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM migrations WHERE id = ?",
                PostgresMigrationRepository::migration,
                migrationId);
    }

    @Override
    public List<Migration> listByVm(UUID vmId, int limit) {
        return jdbc.queryList(
                "SELECT " + COLUMNS + " FROM migrations WHERE vm_id = ? ORDER BY created_at DESC, id LIMIT ?",
                PostgresMigrationRepository::migration,
                vmId,
                limit);
    }

    @Override
    public List<Migration> listFailedSince(Instant since, int limit) {
        return jdbc.queryList(
                "SELECT " + COLUMNS + " FROM migrations WHERE state = 'FAILED' AND finished_at >= ?"
                        + " ORDER BY finished_at DESC, id LIMIT ?",
                PostgresMigrationRepository::migration,
                since,
                limit);
    }

    @Override
    public List<Migration> listInFlight() {
        return jdbc.queryList(
                "SELECT " + COLUMNS + " FROM migrations WHERE state IN " + IN_FLIGHT + " ORDER BY created_at, id",
                PostgresMigrationRepository::migration);
    }

    /** One index scan: the partial unique index on {@code vm_id} holds exactly the migrations in flight. */
    @Override
    public List<Migration> listInFlightByVms(Collection<UUID> vmIds) {
        if (vmIds.size() > MAX_VM_IDS) {
            throw new IllegalArgumentException("at most " + MAX_VM_IDS + " VM ids, got " + vmIds.size());
        }
        if (vmIds.isEmpty()) {
            return List.of();
        }
        return jdbc.queryList(
                "SELECT " + COLUMNS + " FROM migrations WHERE vm_id = ANY(?) AND state IN " + IN_FLIGHT,
                PostgresMigrationRepository::migration,
                new Rows.SqlArray("uuid", vmIds.toArray()));
    }

    private static void lockHosts(Connection connection, UUID first, UUID second) throws SQLException {
        UUID low = first.toString().compareTo(second.toString()) <= 0 ? first : second;
        UUID high = low.equals(first) ? second : first;
        Jdbc.queryOne(connection, LOCK_HOST, row -> row.getObject(1, UUID.class), low);
        if (!high.equals(low)) {
            Jdbc.queryOne(connection, LOCK_HOST, row -> row.getObject(1, UUID.class), high);
        }
    }

    private static Migration migration(ResultSet row) throws SQLException {
        Long total = nullableLong(row, "total_millis");
        Migration.Figures figures = total == null
                ? null
                : new Migration.Figures(
                        Duration.ofMillis(total),
                        Duration.ofMillis(row.getLong("disk_copy_millis")),
                        Duration.ofMillis(row.getLong("memory_millis")),
                        Duration.ofMillis(row.getLong("downtime_millis")),
                        row.getLong("transferred_bytes"));
        return new Migration(
                uuid(row, "id"),
                uuid(row, "vm_id"),
                uuid(row, "source_host_id"),
                uuid(row, "destination_host_id"),
                MigrationState.valueOf(row.getString("state")),
                Rows.resources(row, ""),
                row.getLong("source_epoch"),
                row.getString("error"),
                row.getString("correlation_id"),
                requireNonNull(instant(row, "created_at"), "created_at is null"),
                instant(row, "finished_at"),
                figures);
    }

    private static @Nullable Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static UUID uuid(ResultSet row, String column) throws SQLException {
        UUID id = row.getObject(column, UUID.class);
        if (id == null) {
            throw new SQLException("column " + column + " is null");
        }
        return id;
    }

    private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
