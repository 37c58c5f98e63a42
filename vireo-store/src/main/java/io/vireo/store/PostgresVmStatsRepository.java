package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.VmStatsRepository;
import io.vireo.model.VmStats;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The latest sample of each VM in table {@code vm_stats}: one upsert per heartbeat, batched, guarded by the VM's
 * placement (the row is written only while the VM is placed on the reporting host). Thread-safe.
 */
final class PostgresVmStatsRepository implements VmStatsRepository {
    private static final String COLUMNS = """
            vm_id, sampled_at, cpu_percent, cpu_time_millis, vcpus, resident_bytes, memory_bytes,
            guest_memory_total_bytes, guest_memory_available_bytes, disk_read_bytes, disk_written_bytes,
            disk_read_operations, disk_write_operations, network_received_bytes, network_transmitted_bytes,
            synthetic""";

    private static final String UPSERT = """
            INSERT INTO vm_stats (host_id, received_at, vm_id, sampled_at, cpu_percent, cpu_time_millis, vcpus,
                                  resident_bytes, memory_bytes, guest_memory_total_bytes, guest_memory_available_bytes,
                                  disk_read_bytes, disk_written_bytes, disk_read_operations, disk_write_operations,
                                  network_received_bytes, network_transmitted_bytes, synthetic)
            SELECT v.host_id, ?, v.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
            FROM vms v WHERE v.id = ? AND v.host_id = ?
            ON CONFLICT (vm_id) DO UPDATE SET
                host_id = excluded.host_id, received_at = excluded.received_at, sampled_at = excluded.sampled_at,
                cpu_percent = excluded.cpu_percent, cpu_time_millis = excluded.cpu_time_millis,
                vcpus = excluded.vcpus, resident_bytes = excluded.resident_bytes,
                memory_bytes = excluded.memory_bytes, guest_memory_total_bytes = excluded.guest_memory_total_bytes,
                guest_memory_available_bytes = excluded.guest_memory_available_bytes,
                disk_read_bytes = excluded.disk_read_bytes, disk_written_bytes = excluded.disk_written_bytes,
                disk_read_operations = excluded.disk_read_operations,
                disk_write_operations = excluded.disk_write_operations,
                network_received_bytes = excluded.network_received_bytes,
                network_transmitted_bytes = excluded.network_transmitted_bytes, synthetic = excluded.synthetic""";

    private final Jdbc jdbc;

    PostgresVmStatsRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public void record(UUID hostId, List<VmStats> samples, Instant receivedAt) {
        requireNonNull(hostId, "hostId is null");
        if (samples.isEmpty()) {
            return;
        }
        jdbc.autoCommit(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
                for (VmStats sample : samples) {
                    bind(statement, hostId, sample, receivedAt);
                    statement.addBatch();
                }
                return statement.executeBatch().length;
            }
        });
    }

    @Override
    public Optional<VmStats> find(UUID vmId) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM vm_stats WHERE vm_id = ?", PostgresVmStatsRepository::stats, vmId);
    }

    private static void bind(PreparedStatement statement, UUID hostId, VmStats sample, Instant receivedAt)
            throws SQLException {
        int i = 0;
        statement.setObject(++i, timestamp(receivedAt));
        statement.setObject(++i, timestamp(sample.sampledAt()));
        nullable(statement, ++i, sample.cpu().percent(), Types.DOUBLE);
        statement.setLong(++i, sample.cpu().timeMillis());
        statement.setInt(++i, sample.cpu().vcpus());
        statement.setLong(++i, sample.memory().residentBytes());
        statement.setLong(++i, sample.memory().guestBytes());
        nullable(statement, ++i, sample.memory().guestTotalBytes(), Types.BIGINT);
        nullable(statement, ++i, sample.memory().guestAvailableBytes(), Types.BIGINT);
        statement.setLong(++i, sample.disk().readBytes());
        statement.setLong(++i, sample.disk().writtenBytes());
        statement.setLong(++i, sample.disk().readOperations());
        statement.setLong(++i, sample.disk().writeOperations());
        VmStats.Network network = sample.network();
        nullable(statement, ++i, network == null ? null : network.receivedBytes(), Types.BIGINT);
        nullable(statement, ++i, network == null ? null : network.transmittedBytes(), Types.BIGINT);
        statement.setBoolean(++i, sample.synthetic());
        statement.setObject(++i, sample.vmId());
        statement.setObject(++i, hostId);
    }

    private static void nullable(PreparedStatement statement, int index, @Nullable Object value, int sqlType)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, sqlType);
        } else {
            statement.setObject(index, value, sqlType);
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static VmStats stats(ResultSet row) throws SQLException {
        Long received = nullableLong(row, "network_received_bytes");
        Long transmitted = nullableLong(row, "network_transmitted_bytes");
        OffsetDateTime sampledAt = row.getObject("sampled_at", OffsetDateTime.class);
        return new VmStats(
                requireNonNull(row.getObject("vm_id", UUID.class), "vm_id is null"),
                requireNonNull(sampledAt, "sampled_at is null").toInstant(),
                new VmStats.Cpu(
                        row.getObject("cpu_percent", Double.class),
                        row.getLong("cpu_time_millis"),
                        row.getInt("vcpus")),
                new VmStats.Memory(
                        row.getLong("resident_bytes"),
                        row.getLong("memory_bytes"),
                        nullableLong(row, "guest_memory_total_bytes"),
                        nullableLong(row, "guest_memory_available_bytes")),
                new VmStats.Disk(
                        row.getLong("disk_read_bytes"),
                        row.getLong("disk_written_bytes"),
                        row.getLong("disk_read_operations"),
                        row.getLong("disk_write_operations")),
                received == null || transmitted == null ? null : new VmStats.Network(received, transmitted),
                row.getBoolean("synthetic"));
    }

    private static @Nullable Long nullableLong(ResultSet row, String column) throws SQLException {
        return row.getObject(column, Long.class);
    }
}
