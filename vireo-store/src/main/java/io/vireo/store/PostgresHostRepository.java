package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.HostDeletion;
import io.vireo.controller.port.HostRepository;
import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostDrain;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostReservation;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Resources;
import io.vireo.store.SqlErrors.Violations;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Hosts in table {@code hosts}. Allocations are written only by {@link PostgresClaimRepository}. Thread-safe. */
final class PostgresHostRepository implements HostRepository {
    /**
     * Whether a known host keeps its capacity policy at registration: an operator set it, or the server's defaults
     * with the agent's reservation ({@code excluded.*}) would leave less effective capacity than is allocated on it.
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

    private static final List<String> RATIO_COLUMNS =
            List.of("vcpu_allocation_ratio", "memory_allocation_ratio", "disk_allocation_ratio");

    /** The resource classes' column suffixes, in the order of {@code reserved_*} and {@code agent_reserved_*}. */
    private static final List<String> CLASSES = List.of("vcpus", "memory_mib", "disk_gib");

    /**
     * The policy columns after a registration (ADR 10), the {@code HostRepository.register} rule: ratios and unreported
     * reservations are kept with the policy, a reported reservation applies unless an operator's policy is in force,
     * and the agent's report is recorded (its last one kept with a kept policy where it reports nothing now).
     */
    private static final String POLICY_UPDATES = Stream.of(
                    RATIO_COLUMNS.stream()
                            .map(column -> column + " = CASE WHEN " + KEEPS_POLICY + " THEN hosts." + column
                                    + " ELSE excluded." + column + " END"),
                    CLASSES.stream()
                            .map(c -> "reserved_" + c + " = CASE WHEN " + KEEPS_POLICY
                                    + " AND (hosts.capacity_policy_overridden OR excluded.agent_reserved_" + c
                                    + " IS NULL) THEN hosts.reserved_" + c + " ELSE excluded.reserved_" + c + " END"),
                    CLASSES.stream()
                            .map(c -> "agent_reserved_" + c + " = CASE WHEN " + KEEPS_POLICY
                                    + " AND NOT hosts.capacity_policy_overridden AND excluded.agent_reserved_" + c
                                    + " IS NULL THEN hosts.agent_reserved_" + c + " ELSE excluded.agent_reserved_" + c
                                    + " END"))
            .flatMap(columns -> columns)
            .map(update -> "    " + update)
            .collect(Collectors.joining(",\n"));

    /**
     * One statement, so that two agents registering the same new name race safely; its transaction then records the
     * registration as the host's heartbeat ({@link #HEARTBEATS}). A re-registration bumps the
     * resource generation: the capacity a scheduler planned with may have changed. A new host gets the server's
     * default capacity policy with the agent's reservation in place of the defaults'; a known one keeps its own
     * unless it {@link #KEEPS_POLICY may take the defaults}.
     */
    private static final String REGISTER = """
            INSERT INTO hosts (name, created_at, state, capacity_vcpus, capacity_memory_mib, capacity_disk_gib,
                               capabilities, driver, reserved_vcpus, reserved_memory_mib,
                               reserved_disk_gib, vcpu_allocation_ratio, memory_allocation_ratio, disk_allocation_ratio,
                               agent_reserved_vcpus, agent_reserved_memory_mib, agent_reserved_disk_gib)
            VALUES (?, ?, 'UP', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) WHERE deleted_at IS NULL DO UPDATE SET
                state = CASE WHEN hosts.state = 'MAINTENANCE' THEN 'MAINTENANCE' ELSE 'UP' END,
                capacity_vcpus = excluded.capacity_vcpus,
                capacity_memory_mib = excluded.capacity_memory_mib,
                capacity_disk_gib = excluded.capacity_disk_gib,
                resource_generation = hosts.resource_generation + 1,
                capabilities = excluded.capabilities,
                driver = excluded.driver,
            """ + POLICY_UPDATES + "\nRETURNING id";

    /**
     * {@link #REGISTER} for a host enrolled with an id: the name's row is updated only if it has that id (no row comes
     * back otherwise), and a known id under another name fails on the primary key.
     */
    private static final String REGISTER_ENROLLED = REGISTER.replace(
                    "INSERT INTO hosts (name,", "INSERT INTO hosts (id, name,")
            .replace("VALUES (?, ?, 'UP',", "VALUES (?, ?, ?, 'UP',")
            .replace("\nRETURNING ", "\nWHERE hosts.id = excluded.id\nRETURNING ");

    private static final String SET_POLICY = """
            UPDATE hosts SET reserved_vcpus = ?, reserved_memory_mib = ?, reserved_disk_gib = ?,
                             vcpu_allocation_ratio = ?, memory_allocation_ratio = ?, disk_allocation_ratio = ?,
                             capacity_policy_overridden = true, resource_generation = resource_generation + 1
            WHERE id = ? AND deleted_at IS NULL
            RETURNING\s""" + Rows.HOST_COLUMNS;

    /**
     * The server's defaults with the agent's reservation in place of theirs (ADR 10), only if the allocation fits the
     * effective capacity they give: the relaxed CHECK of V12 would let an agent-reserved class through, and a reset is
     * refused below the allocation like any policy an operator asks for.
     */
    private static final String RESET_POLICY = """
            UPDATE hosts SET reserved_vcpus = COALESCE(agent_reserved_vcpus, ?),
                             reserved_memory_mib = COALESCE(agent_reserved_memory_mib, ?),
                             reserved_disk_gib = COALESCE(agent_reserved_disk_gib, ?),
                             vcpu_allocation_ratio = ?, memory_allocation_ratio = ?, disk_allocation_ratio = ?,
                             capacity_policy_overridden = false, resource_generation = resource_generation + 1
            WHERE id = ? AND deleted_at IS NULL
              AND allocated_vcpus <= vireo_effective_capacity(capacity_vcpus, COALESCE(agent_reserved_vcpus, ?), ?)
              AND allocated_memory_mib
                  <= vireo_effective_capacity(capacity_memory_mib, COALESCE(agent_reserved_memory_mib, ?), ?)
              AND allocated_disk_gib
                  <= vireo_effective_capacity(capacity_disk_gib, COALESCE(agent_reserved_disk_gib, ?), ?)
            RETURNING\s""" + Rows.HOST_COLUMNS;

    private final Jdbc jdbc;

    PostgresHostRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public Host register(HostRegistration registration, CapacityPolicy defaults, Instant now) {
        Resources capacity = registration.capacity();
        HostReservation reported = registration.reservation();
        CapacityPolicy candidate = reported.applyTo(defaults);
        Violations belowAllocation = e -> SqlErrors.CHECK_VIOLATION.equals(e.getSQLState())
                ? VireoException.conflict(
                        "host '" + registration.name() + "' reports less capacity than is allocated on it: " + capacity)
                : null;
        return jdbc.inTransaction(
                connection -> registered(
                        connection,
                        now,
                        Jdbc.queryOne(
                                        connection,
                                        REGISTER,
                                        row -> Rows.uuid(row, "id"),
                                        registration.name(),
                                        now,
                                        capacity.vcpus(),
                                        capacity.memoryMib(),
                                        capacity.diskGib(),
                                        registration.capabilities(),
                                        registration.driver(),
                                        candidate.reserved().vcpus(),
                                        candidate.reserved().memoryMib(),
                                        candidate.reserved().diskGib(),
                                        candidate.vcpuRatio(),
                                        candidate.memoryRatio(),
                                        candidate.diskRatio(),
                                        reported.vcpus(),
                                        reported.memoryMib(),
                                        reported.diskGib())
                                .orElseThrow()),
                belowAllocation);
    }

    @Override
    public Host register(UUID id, HostRegistration registration, CapacityPolicy defaults, Instant now) {
        Resources capacity = registration.capacity();
        HostReservation reported = registration.reservation();
        CapacityPolicy candidate = reported.applyTo(defaults);
        String name = registration.name();
        Violations refused = e -> SqlErrors.CHECK_VIOLATION.equals(e.getSQLState())
                ? VireoException.conflict(
                        "host '" + name + "' reports less capacity than is allocated on it: " + capacity)
                : SqlErrors.UNIQUE_VIOLATION.equals(e.getSQLState())
                        ? VireoException.conflict(
                                "host " + id + " is registered under another name than " + name + ", or was deleted")
                        : null;
        return jdbc.inTransaction(
                connection -> registered(
                        connection,
                        now,
                        Jdbc.queryOne(
                                        connection,
                                        REGISTER_ENROLLED,
                                        row -> Rows.uuid(row, "id"),
                                        id,
                                        name,
                                        now,
                                        capacity.vcpus(),
                                        capacity.memoryMib(),
                                        capacity.diskGib(),
                                        registration.capabilities(),
                                        registration.driver(),
                                        candidate.reserved().vcpus(),
                                        candidate.reserved().memoryMib(),
                                        candidate.reserved().diskGib(),
                                        candidate.vcpuRatio(),
                                        candidate.memoryRatio(),
                                        candidate.diskRatio(),
                                        reported.vcpus(),
                                        reported.memoryMib(),
                                        reported.diskGib())
                                .orElseThrow(() ->
                                        VireoException.conflict("host name " + name + " belongs to another host"))),
                refused);
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
    public Host resetCapacityPolicy(UUID hostId, CapacityPolicy defaults) {
        Resources reserved = defaults.reserved();
        Optional<Host> reset = jdbc.autoCommit(connection -> Jdbc.queryOne(
                connection,
                RESET_POLICY,
                Rows::host,
                reserved.vcpus(),
                reserved.memoryMib(),
                reserved.diskGib(),
                defaults.vcpuRatio(),
                defaults.memoryRatio(),
                defaults.diskRatio(),
                hostId,
                reserved.vcpus(),
                defaults.vcpuRatio(),
                reserved.memoryMib(),
                defaults.memoryRatio(),
                reserved.diskGib(),
                defaults.diskRatio()));
        if (reset.isPresent()) {
            return reset.get();
        }
        Host host = find(hostId).orElseThrow(() -> VireoException.notFound("host", hostId.toString()));
        throw VireoException.conflict("host '" + host.name()
                + "' has more allocated than the server's default policy allows: "
                + host.agentReservation()
                        .applyTo(defaults)
                        .excess(host.capacity(), host.allocated())
                        .orElse("(allocation changed)"));
    }

    @Override
    public Optional<Host> find(UUID id) {
        return jdbc.queryOne(
                "SELECT " + Rows.HOST_COLUMNS + " FROM hosts WHERE id = ? AND deleted_at IS NULL", Rows::host, id);
    }

    @Override
    public Optional<Host> findByName(String name) {
        return jdbc.queryOne(
                "SELECT " + Rows.HOST_COLUMNS + " FROM hosts WHERE name = ? AND deleted_at IS NULL", Rows::host, name);
    }

    @Override
    public List<Host> list() {
        return jdbc.queryList(
                "SELECT " + Rows.HOST_COLUMNS + " FROM hosts WHERE deleted_at IS NULL ORDER BY name", Rows::host);
    }

    /** Records a registration as the host's heartbeat (its usage kept) and reads the host back, in its transaction. */
    private static Host registered(Connection connection, Instant now, UUID hostId) throws SQLException {
        Jdbc.update(connection, """
                INSERT INTO host_liveness (host_id, last_heartbeat_at) VALUES (?, ?)
                ON CONFLICT (host_id) DO UPDATE SET last_heartbeat_at = excluded.last_heartbeat_at""", hostId, now);
        return Jdbc.queryOne(connection, "SELECT " + Rows.HOST_COLUMNS + " FROM hosts WHERE id = ?", Rows::host, hostId)
                .orElseThrow();
    }

    /**
     * One statement for a batch: the hosts in id order (two replicas' batches lock rows in the same order), unknown
     * hosts skipped. The upsert changes no indexed column, so on a page with room it is a HOT update.
     */
    private static final String HEARTBEATS = """
            INSERT INTO host_liveness (host_id, last_heartbeat_at, usage_cpu_percent, usage_memory_used_mib,
                                       usage_disk_used_gib, usage_running_vms)
            SELECT u.host_id, ?, u.cpu, u.memory, u.disk, u.vms
            FROM unnest(?::uuid[], ?::float8[], ?::int8[], ?::int8[], ?::int4[]) AS u (host_id, cpu, memory, disk, vms)
            WHERE EXISTS (SELECT 1 FROM hosts WHERE hosts.id = u.host_id AND hosts.deleted_at IS NULL)
            ORDER BY u.host_id
            ON CONFLICT (host_id) DO UPDATE SET
                last_heartbeat_at = excluded.last_heartbeat_at,
                usage_cpu_percent = excluded.usage_cpu_percent,
                usage_memory_used_mib = excluded.usage_memory_used_mib,
                usage_disk_used_gib = excluded.usage_disk_used_gib,
                usage_running_vms = excluded.usage_running_vms""";

    @Override
    public void recordHeartbeats(Map<UUID, HostUsage> usages, Instant now) {
        if (usages.isEmpty()) {
            return;
        }
        List<UUID> hosts = usages.keySet().stream().sorted().toList();
        Object[] ids = hosts.toArray();
        Object[] cpu = new Object[ids.length];
        Object[] memory = new Object[ids.length];
        Object[] disk = new Object[ids.length];
        Object[] vms = new Object[ids.length];
        for (int i = 0; i < ids.length; i++) {
            HostUsage usage = requireNonNull(usages.get(hosts.get(i)));
            cpu[i] = usage.cpuPercent();
            memory[i] = usage.memoryUsedMib();
            disk[i] = usage.diskUsedGib();
            vms[i] = usage.runningVms();
        }
        jdbc.update(
                HEARTBEATS,
                now,
                new Rows.SqlArray("uuid", ids),
                new Rows.SqlArray("float8", cpu),
                new Rows.SqlArray("int8", memory),
                new Rows.SqlArray("int8", disk),
                new Rows.SqlArray("int4", vms));
    }

    @Override
    public void updateState(UUID hostId, HostState state) {
        jdbc.update("UPDATE hosts SET state = ? WHERE id = ? AND deleted_at IS NULL", state, hostId);
    }

    @Override
    public boolean transition(UUID hostId, HostState expected, HostState next) {
        return jdbc.update(
                        "UPDATE hosts SET state = ? WHERE id = ? AND state = ? AND deleted_at IS NULL",
                        next,
                        hostId,
                        expected)
                == 1;
    }

    private static final String LEASE_RENEWALS = """
            INSERT INTO host_liveness (host_id, lease_renewed_at)
            SELECT u.host_id, clock_timestamp()
            FROM unnest(?::uuid[]) AS u (host_id)
            WHERE EXISTS (SELECT 1 FROM hosts WHERE hosts.id = u.host_id AND hosts.deleted_at IS NULL)
            ORDER BY u.host_id
            ON CONFLICT (host_id) DO UPDATE SET lease_renewed_at = excluded.lease_renewed_at""";

    @Override
    public void recordLeaseRenewals(Collection<UUID> hostIds, Instant now) {
        if (hostIds.isEmpty()) {
            return;
        }
        jdbc.update(
                LEASE_RENEWALS,
                new Rows.SqlArray("uuid", hostIds.stream().sorted().distinct().toArray()));
    }

    @Override
    public Map<UUID, Duration> leaseAges(Instant now) {
        Map<UUID, Duration> ages = new HashMap<>();
        jdbc.queryList(
                        "SELECT host_id, (extract(epoch FROM clock_timestamp() - lease_renewed_at) * 1000)::bigint"
                                + " FROM host_liveness WHERE lease_renewed_at IS NOT NULL",
                        row -> Map.entry(row.getObject(1, UUID.class), Duration.ofMillis(row.getLong(2))))
                .forEach(entry -> ages.put(entry.getKey(), entry.getValue()));
        return ages;
    }

    /** The host locked as a claim locks it ({@code UPDATE hosts}, a FOR NO KEY UPDATE row lock). */
    private static final String LOCK_LIVE_HOST =
            "SELECT " + Rows.HOST_COLUMNS + " FROM hosts WHERE id = ? AND deleted_at IS NULL FOR NO KEY UPDATE";

    private static final String VMS_ON_HOST = "SELECT name FROM vms WHERE host_id = ? AND state <> 'DELETED'";
    private static final String VOLUMES_ON_HOST = "SELECT name FROM volumes WHERE host_id = ?";

    /**
     * Decides and marks the deletion in one transaction that first takes the host's row lock: a claim on the host
     * either committed before it (its VM or migration is then seen by the checks, each a statement with a snapshot
     * taken after the lock) or waits for it and then finds the host deleted and its resource generation moved on.
     */
    @Override
    public HostDeletion delete(UUID hostId, Instant now) {
        return jdbc.inTransaction(connection -> {
            Optional<Host> locked = Jdbc.queryOne(connection, LOCK_LIVE_HOST, Rows::host, hostId);
            if (locked.isEmpty()) {
                return HostDeletion.NOT_FOUND;
            }
            Host host = locked.get();
            long vms = count(connection, VMS_ON_HOST, hostId);
            long volumes = count(connection, VOLUMES_ON_HOST, hostId);
            long migrations = count(
                    connection,
                    "SELECT id FROM migrations WHERE (source_host_id = ? OR destination_host_id = ?)"
                            + " AND state IN ('PREPARING', 'MIGRATING')",
                    hostId,
                    hostId);
            boolean draining = count(connection, "SELECT host_id FROM host_drains WHERE host_id = ?", hostId) > 0;
            if (vms > 0
                    || volumes > 0
                    || migrations > 0
                    || draining
                    || !HostDeletion.DELETABLE_STATES.contains(host.state())) {
                return new HostDeletion.Blocked(
                        host,
                        vms,
                        firstNames(connection, VMS_ON_HOST, hostId),
                        migrations,
                        draining,
                        volumes,
                        firstNames(connection, VOLUMES_ON_HOST, hostId));
            }
            Jdbc.update(
                    connection,
                    "UPDATE hosts SET deleted_at = ?, resource_generation = resource_generation + 1 WHERE id = ?",
                    now,
                    hostId);
            Jdbc.update(connection, "DELETE FROM host_liveness WHERE host_id = ?", hostId);
            return new HostDeletion.Deleted(host);
        });
    }

    private static long count(Connection connection, String select, Object... parameters) throws SQLException {
        return Jdbc.queryOne(
                        connection,
                        "SELECT count(*) FROM (" + select + ") AS counted",
                        row -> row.getLong(1),
                        parameters)
                .orElse(0L);
    }

    private static List<String> firstNames(Connection connection, String select, UUID hostId) throws SQLException {
        return Jdbc.queryList(
                connection,
                select + " ORDER BY name LIMIT " + HostDeletion.Blocked.MAX_NAMES,
                row -> requireNonNull(row.getString(1), "name"),
                hostId);
    }

    /**
     * Locks the host row as {@link #delete} does, so that a drain and a deletion of one host are ordered: the deletion
     * sees the drain, or the drain finds the host deleted.
     */
    @Override
    public boolean startDrain(HostDrain drain) {
        return jdbc.update(
                        "INSERT INTO host_drains (host_id, correlation_id, requested_at)"
                                + " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM hosts WHERE id = ? AND deleted_at IS NULL"
                                + " FOR NO KEY UPDATE)"
                                + " ON CONFLICT (host_id) DO NOTHING",
                        drain.hostId(),
                        drain.correlationId(),
                        drain.requestedAt(),
                        drain.hostId())
                == 1;
    }

    @Override
    public List<HostDrain> drains() {
        return jdbc.queryList(
                "SELECT host_id, correlation_id, requested_at FROM host_drains ORDER BY requested_at, host_id",
                row -> new HostDrain(
                        Rows.uuid(row, "host_id"),
                        requireNonNull(row.getString("correlation_id"), "correlation_id"),
                        Rows.instant(row, "requested_at")));
    }

    @Override
    public boolean endDrain(UUID hostId) {
        return jdbc.update("DELETE FROM host_drains WHERE host_id = ?", hostId) == 1;
    }
}
