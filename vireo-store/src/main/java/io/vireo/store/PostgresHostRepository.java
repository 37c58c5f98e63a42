package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.HostRepository;
import io.vireo.model.CapacityPolicy;
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
     * Whether a known host keeps its capacity policy at registration: an operator set it, or the server's defaults
     * ({@code excluded.*}) would leave less effective capacity than is allocated on it.
     */
    private static final String KEEPS_POLICY = """
            (hosts.capacity_policy_overridden
             OR hosts.allocated_vcpus > vireo_effective_capacity(excluded.capacity_vcpus, excluded.reserved_vcpus,
                                                                 excluded.vcpu_allocation_ratio)
             OR hosts.allocated_memory_mib > vireo_effective_capacity(excluded.capacity_memory_mib,
                                                                      excluded.reserved_memory_mib,
                                                                      excluded.memory_allocation_ratio)
             OR hosts.allocated_disk_gib > vireo_effective_capacity(excluded.capacity_disk_gib,
                                                                    excluded.reserved_disk_gib,
                                                                    excluded.disk_allocation_ratio))""";

    private static final List<String> POLICY_COLUMNS = List.of(
            "reserved_vcpus",
            "reserved_memory_mib",
            "reserved_disk_gib",
            "vcpu_allocation_ratio",
            "memory_allocation_ratio",
            "disk_allocation_ratio");

    /**
     * One statement, so that two agents registering the same new name race safely. A re-registration bumps the
     * resource generation: the capacity a scheduler planned with may have changed. A new host gets the server's
     * default capacity policy; a known one keeps its own unless it {@link #KEEPS_POLICY may take the defaults}.
     */
    private static final String REGISTER = """
            INSERT INTO hosts (name, created_at, state, capacity_vcpus, capacity_memory_mib, capacity_disk_gib,
                               capabilities, driver, last_heartbeat_at, reserved_vcpus, reserved_memory_mib,
                               reserved_disk_gib, vcpu_allocation_ratio, memory_allocation_ratio, disk_allocation_ratio)
            VALUES (?, ?, 'UP', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET
                state = CASE WHEN hosts.state = 'MAINTENANCE' THEN 'MAINTENANCE' ELSE 'UP' END,
                capacity_vcpus = excluded.capacity_vcpus,
                capacity_memory_mib = excluded.capacity_memory_mib,
                capacity_disk_gib = excluded.capacity_disk_gib,
                resource_generation = hosts.resource_generation + 1,
                capabilities = excluded.capabilities,
                driver = excluded.driver,
                last_heartbeat_at = excluded.last_heartbeat_at,
            """
            + String.join(
                    ",\n",
                    POLICY_COLUMNS.stream()
                            .map(column -> "    " + column + " = CASE WHEN " + KEEPS_POLICY + " THEN hosts." + column
                                    + " ELSE excluded." + column + " END")
                            .toList())
            + "\nRETURNING " + Rows.HOST_COLUMNS;

    private static final String SET_POLICY = """
            UPDATE hosts SET reserved_vcpus = ?, reserved_memory_mib = ?, reserved_disk_gib = ?,
                             vcpu_allocation_ratio = ?, memory_allocation_ratio = ?, disk_allocation_ratio = ?,
                             capacity_policy_overridden = true, resource_generation = resource_generation + 1
            WHERE id = ?
            RETURNING\s""" + Rows.HOST_COLUMNS;

    private final Jdbc jdbc;

    PostgresHostRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public Host register(HostRegistration registration, CapacityPolicy defaults, Instant now) {
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
                                now,
                                defaults.reserved().vcpus(),
                                defaults.reserved().memoryMib(),
                                defaults.reserved().diskGib(),
                                defaults.vcpuRatio(),
                                defaults.memoryRatio(),
                                defaults.diskRatio())
                        .orElseThrow(),
                belowAllocation);
    }

    @Override
    public Host setCapacityPolicy(UUID hostId, CapacityPolicy policy) {
        Violations belowAllocation = e -> SqlErrors.CHECK_VIOLATION.equals(e.getSQLState())
                ? VireoException.conflict(find(hostId)
                        .map(host -> "host '" + host.name() + "' has more allocated than that policy allows: "
                                + policy.excess(host.capacity(), host.allocated())
                                        .orElse("(allocation changed)"))
                        .orElse("host " + hostId + " has more allocated than that policy allows"))
                : null;
        return jdbc.autoCommit(
                connection -> Jdbc.queryOne(
                                connection,
                                SET_POLICY,
                                Rows::host,
                                policy.reserved().vcpus(),
                                policy.reserved().memoryMib(),
                                policy.reserved().diskGib(),
                                policy.vcpuRatio(),
                                policy.memoryRatio(),
                                policy.diskRatio(),
                                hostId)
                        .orElseThrow(() -> VireoException.notFound("host", hostId.toString())),
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
