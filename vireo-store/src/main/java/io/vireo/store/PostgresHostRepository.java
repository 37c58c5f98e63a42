package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.HostRepository;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;
import io.vireo.store.SqlErrors.Violations;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Hosts in table {@code hosts}. Allocations are written only by {@link PostgresClaimRepository}. Thread-safe. */
final class PostgresHostRepository implements HostRepository {
    /**
     * One statement, so that two agents registering the same new name race safely. A re-registration bumps the
     * resource generation: the capacity a scheduler planned with may have changed.
     */
    private static final String REGISTER = """
            INSERT INTO hosts (name, created_at, state, capacity_vcpus, capacity_memory_mib, capacity_disk_gib,
                               capabilities, driver, last_heartbeat_at)
            VALUES (?, ?, 'UP', ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET
                state = CASE WHEN hosts.state = 'MAINTENANCE' THEN 'MAINTENANCE' ELSE 'UP' END,
                capacity_vcpus = excluded.capacity_vcpus,
                capacity_memory_mib = excluded.capacity_memory_mib,
                capacity_disk_gib = excluded.capacity_disk_gib,
                resource_generation = hosts.resource_generation + 1,
                capabilities = excluded.capabilities,
                driver = excluded.driver,
                last_heartbeat_at = excluded.last_heartbeat_at
            RETURNING\s""" + Rows.HOST_COLUMNS;

    private final Jdbc jdbc;

    PostgresHostRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public Host register(HostRegistration registration, Instant now) {
        Resources capacity = registration.capacity();
        Violations belowAllocation = e -> SqlErrors.CHECK_VIOLATION.equals(e.getSQLState())
                ? VireoException.conflict(
                        "host '" + registration.name() + "' reports less capacity than is allocated on it: " + capacity)
                : null;
        return jdbc.autoCommit(
                connection -> Jdbc.queryOne(
                                connection,
                                REGISTER,
                                Rows::host,
                                registration.name(),
                                now,
                                capacity.vcpus(),
                                capacity.memoryMib(),
                                capacity.diskGib(),
                                registration.capabilities(),
                                registration.driver(),
                                now)
                        .orElseThrow(),
                belowAllocation);
    }

    @Override
    public Optional<Host> find(UUID id) {
        return jdbc.queryOne("SELECT " + Rows.HOST_COLUMNS + " FROM hosts WHERE id = ?", Rows::host, id);
    }

    @Override
    public Optional<Host> findByName(String name) {
        return jdbc.queryOne("SELECT " + Rows.HOST_COLUMNS + " FROM hosts WHERE name = ?", Rows::host, name);
    }

    @Override
    public List<Host> list() {
        return jdbc.queryList("SELECT " + Rows.HOST_COLUMNS + " FROM hosts ORDER BY name", Rows::host);
    }

    @Override
    public void recordHeartbeat(UUID hostId, HostUsage usage, Instant now) {
        jdbc.update(
                """
                UPDATE hosts SET last_heartbeat_at = ?, usage_cpu_percent = ?, usage_memory_used_mib = ?,
                                 usage_disk_used_gib = ?, usage_running_vms = ?
                WHERE id = ?""", now, usage.cpuPercent(), usage.memoryUsedMib(), usage.diskUsedGib(), usage.runningVms(), hostId);
    }

    @Override
    public void updateState(UUID hostId, HostState state) {
        jdbc.update("UPDATE hosts SET state = ? WHERE id = ?", state, hostId);
    }
}
