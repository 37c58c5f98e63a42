package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.controller.port.ClaimRepository;
import io.vireo.model.Resources;
import io.vireo.model.ServerGroupPolicy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The one claim path, on PostgreSQL. A claim is one transaction of three conditional writes (host, VM, allocation)
 * that is committed only if all three succeed. Under READ COMMITTED a concurrent claim on the same host blocks on the
 * host row and then re-checks the generation of the committed row, so exactly one of two racing claims wins.
 *
 * <p>The VM's server group, if it has one, is locked first (FOR NO KEY UPDATE) and its hard rule is checked against
 * the members committed by then, after the host row is locked: two claims of one group are serialised on the group row,
 * so they never both pass on the same count (at most {@code maxPerHost} anti-affine members per host, whatever the
 * interleaving across server replicas).
 *
 * <p>Lock order: every transaction here locks the group row (if any) before the host row and the host row before the
 * VM row, so claims and releases cannot deadlock each other. Thread-safe.
 */
final class PostgresClaimRepository implements ClaimRepository {
    static final String ALLOCATE_ON_HOST = """
            UPDATE hosts SET allocated_vcpus = allocated_vcpus + ?,
                             allocated_memory_mib = allocated_memory_mib + ?,
                             allocated_disk_gib = allocated_disk_gib + ?,
                             resource_generation = resource_generation + 1
            WHERE id = ? AND resource_generation = ?
              AND allocated_vcpus::bigint + ? <= effective_vcpus
              AND allocated_memory_mib + ? <= effective_memory_mib
              AND allocated_disk_gib + ? <= effective_disk_gib""";

    private static final String PLACE_VM = """
            UPDATE vms SET host_id = ?, epoch = epoch + 1, state = 'SCHEDULED', state_reason = NULL, updated_at = ?
            WHERE id = ? AND host_id IS NULL AND state = 'PENDING' AND desired_state <> 'DELETED'""";

    private static final String VM_CLAIMABLE = """
            SELECT host_id IS NULL AND state = 'PENDING' AND desired_state <> 'DELETED' FROM vms WHERE id = ?""";

    private static final String INSERT_ALLOCATION = """
            INSERT INTO allocations (vm_id, host_id, created_at, vcpus, memory_mib, disk_gib)
            VALUES (?, ?, ?, ?, ?, ?)""";

    private static final String VM_HOST = "SELECT host_id FROM vms WHERE id = ?";

    /** The VM's server group, locked for the claim (NO KEY UPDATE: VM inserts into the group are not blocked). */
    static final String LOCK_GROUP = """
            SELECT id, policy, max_per_host FROM server_groups
            WHERE id = (SELECT server_group_id FROM vms WHERE id = ?) FOR NO KEY UPDATE""";

    /** The groups of a gang's members, locked in id order (uuid order is the same in SQL and in the text form). */
    private static final String LOCK_GANG_GROUPS = """
            SELECT id, policy, max_per_host FROM server_groups
            WHERE id IN (SELECT server_group_id FROM vms WHERE id = ANY(?)) ORDER BY id FOR NO KEY UPDATE""";

    private static final String CLAIMABLE_COUNT = """
            SELECT count(*) FROM vms
            WHERE id = ANY(?) AND host_id IS NULL AND state = 'PENDING' AND desired_state <> 'DELETED'""";

    /**
     * A host of the array holding more than {@code ?} live members of the group {@code ?}, counted after a gang's
     * writes, members on their way there (a migration in flight) included.
     */
    private static final String HOSTS_OVER_LIMIT = """
            SELECT h FROM unnest(?::uuid[]) AS h
            WHERE (SELECT count(*) FROM vms v
                   WHERE v.server_group_id = ? AND v.state <> 'DELETED'
                     AND (v.host_id = h
                          OR EXISTS (SELECT 1 FROM migrations m WHERE m.vm_id = v.id AND m.destination_host_id = h
                                                                  AND m.state IN ('PREPARING', 'MIGRATING')))) > ?
            LIMIT 1""";

    /** How many hosts the group's live members are on or on their way to, counted after a gang's writes. */
    private static final String MEMBER_HOSTS = """
            SELECT count(DISTINCT h) FROM (
                SELECT host_id AS h FROM vms
                WHERE server_group_id = ? AND host_id IS NOT NULL AND state <> 'DELETED'
                UNION
                SELECT m.destination_host_id FROM migrations m JOIN vms v ON v.id = m.vm_id
                WHERE v.server_group_id = ? AND v.state <> 'DELETED' AND m.state IN ('PREPARING', 'MIGRATING')
            ) AS hosts""";

    /** The group's other live members on the host, or on their way there (a migration in flight). */
    private static final String MEMBERS_ON_HOST = """
            SELECT count(*) FROM vms v
            WHERE v.server_group_id = ? AND v.id <> ? AND v.state <> 'DELETED'
              AND (v.host_id = ?
                   OR EXISTS (SELECT 1 FROM migrations m WHERE m.vm_id = v.id AND m.destination_host_id = ?
                                                           AND m.state IN ('PREPARING', 'MIGRATING')))""";

    /** The group's other live members on another host, or on their way to one. */
    private static final String MEMBERS_ELSEWHERE = """
            SELECT count(*) FROM vms v
            WHERE v.server_group_id = ? AND v.id <> ? AND v.state <> 'DELETED'
              AND (v.host_id <> ?
                   OR EXISTS (SELECT 1 FROM migrations m WHERE m.vm_id = v.id AND m.destination_host_id <> ?
                                                           AND m.state IN ('PREPARING', 'MIGRATING')))""";

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

    private final Jdbc jdbc;

    PostgresClaimRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public ClaimOutcome claim(UUID vmId, UUID hostId, long expectedHostGeneration, Resources resources, Instant now) {
        return jdbc.inTransaction(connection -> {
            Optional<GroupRule> rule = Jdbc.queryOne(connection, LOCK_GROUP, GroupRule::of, vmId);
            int hostRows = Jdbc.update(
                    connection,
                    ALLOCATE_ON_HOST,
                    resources.vcpus(),
                    resources.memoryMib(),
                    resources.diskGib(),
                    hostId,
                    expectedHostGeneration,
                    resources.vcpus(),
                    resources.memoryMib(),
                    resources.diskGib());
            if (hostRows == 0) {
                // A VM that is gone or placed is reported as such even if the host moved too: nothing to re-plan.
                return vmClaimable(connection, vmId) ? ClaimOutcome.HOST_CHANGED : ClaimOutcome.VM_CHANGED;
            }
            if (rule.isPresent() && rule.get().brokenBy(connection, vmId, hostId)) {
                connection.rollback();
                return vmClaimable(connection, vmId) ? ClaimOutcome.GROUP_RULE_BROKEN : ClaimOutcome.VM_CHANGED;
            }
            if (Jdbc.update(connection, PLACE_VM, hostId, now, vmId) == 0) {
                connection.rollback();
                return ClaimOutcome.VM_CHANGED;
            }
            Jdbc.update(
                    connection,
                    INSERT_ALLOCATION,
                    vmId,
                    hostId,
                    now,
                    resources.vcpus(),
                    resources.memoryMib(),
                    resources.diskGib());
            return ClaimOutcome.CLAIMED;
        });
    }

    private static boolean vmClaimable(Connection connection, UUID vmId) throws SQLException {
        return Jdbc.queryOne(connection, VM_CLAIMABLE, row -> row.getBoolean(1), vmId)
                .orElse(false);
    }

    /**
     * The gang's claim, in one transaction and the claim's lock order: the members' groups (in id order), then each
     * target host (in id order) with one conditional write of the members' sum on it, then each member's VM row, then
     * the groups' hard rules counted with the gang's members placed (this transaction's own writes are visible to it),
     * then the allocations. Anything that fails rolls everything back.
     */
    @Override
    public ClaimOutcome claimGang(List<GangPlacement> members, Instant now) {
        Object vmIds = new Rows.SqlArray(
                "uuid", members.stream().map(GangPlacement::vmId).toArray());
        Map<UUID, HostDemand> byHost = new TreeMap<>(Comparator.comparing(UUID::toString));
        for (GangPlacement member : members) {
            byHost.merge(
                    member.hostId(),
                    new HostDemand(member.expectedHostGeneration(), member.resources()),
                    HostDemand::plus);
        }
        return jdbc.inTransaction(connection -> {
            List<GroupRule> rules = Jdbc.queryList(connection, LOCK_GANG_GROUPS, GroupRule::of, vmIds);
            for (Map.Entry<UUID, HostDemand> host : byHost.entrySet()) {
                Resources demand = host.getValue().resources();
                int rows = Jdbc.update(
                        connection,
                        ALLOCATE_ON_HOST,
                        demand.vcpus(),
                        demand.memoryMib(),
                        demand.diskGib(),
                        host.getKey(),
                        host.getValue().expectedGeneration(),
                        demand.vcpus(),
                        demand.memoryMib(),
                        demand.diskGib());
                if (rows == 0 || host.getValue().conflicting()) {
                    connection.rollback();
                    return allClaimable(connection, vmIds, members.size())
                            ? ClaimOutcome.HOST_CHANGED
                            : ClaimOutcome.VM_CHANGED;
                }
            }
            for (GangPlacement member : members) {
                if (Jdbc.update(connection, PLACE_VM, member.hostId(), now, member.vmId()) == 0) {
                    connection.rollback();
                    return ClaimOutcome.VM_CHANGED;
                }
            }
            List<UUID> hosts = List.copyOf(byHost.keySet());
            for (GroupRule rule : rules) {
                if (rule.brokenAfterGang(connection, hosts)) {
                    connection.rollback();
                    return allClaimable(connection, vmIds, members.size())
                            ? ClaimOutcome.GROUP_RULE_BROKEN
                            : ClaimOutcome.VM_CHANGED;
                }
            }
            for (GangPlacement member : members) {
                Resources resources = member.resources();
                Jdbc.update(
                        connection,
                        INSERT_ALLOCATION,
                        member.vmId(),
                        member.hostId(),
                        now,
                        resources.vcpus(),
                        resources.memoryMib(),
                        resources.diskGib());
            }
            return ClaimOutcome.CLAIMED;
        });
    }

    private static boolean allClaimable(Connection connection, Object vmIds, int count) throws SQLException {
        return Jdbc.queryOne(connection, CLAIMABLE_COUNT, row -> row.getLong(1), vmIds)
                        .orElse(0L)
                == count;
    }

    /** What a gang asks of one host: the generation its members saw (all the same, or conflicting) and their sum. */
    private record HostDemand(long expectedGeneration, Resources resources, boolean conflicting) {
        HostDemand(long expectedGeneration, Resources resources) {
            this(expectedGeneration, resources, false);
        }

        HostDemand plus(HostDemand other) {
            return new HostDemand(
                    expectedGeneration,
                    resources.plus(other.resources),
                    conflicting || other.conflicting || expectedGeneration != other.expectedGeneration);
        }
    }

    /**
     * Locks the VM's host (if it has one) before the VM, as a claim does. The host is read first without a lock; if a
     * claim placed the VM in between, the locked re-read sees another host and the transaction starts over, at most
     * {@code transactionAttempts} times in all.
     */
    @Override
    public void releaseAndMarkDeleted(UUID vmId, Instant now) {
        for (int attempt = 0; attempt < jdbc.transactionAttempts(); attempt++) {
            if (jdbc.inTransaction(connection -> release(connection, vmId, now))) {
                return;
            }
        }
        throw new StoreException(ErrorCode.UNAVAILABLE, "VM " + vmId + " kept changing host; try again");
    }

    /** Returns false, having written nothing, if the VM's host changed before it was locked. */
    private static boolean release(Connection connection, UUID vmId, Instant now) throws SQLException {
        Optional<Placement> unlocked = Jdbc.queryOne(connection, VM_HOST, Placement::of, vmId);
        if (unlocked.isEmpty()) {
            return true;
        }
        UUID hostId = unlocked.get().hostId();
        if (hostId != null) {
            Jdbc.queryOne(connection, LOCK_HOST, row -> row.getObject(1, UUID.class), hostId);
        }
        Optional<Placement> locked = Jdbc.queryOne(connection, VM_HOST + " FOR UPDATE", Placement::of, vmId);
        if (locked.isEmpty()) {
            return true;
        }
        if (!Objects.equals(locked.get().hostId(), hostId)) {
            connection.rollback();
            return false;
        }
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
        PostgresVolumeRepository.release(connection, vmId, hostId);
        Jdbc.update(connection, MARK_DELETED, now, vmId);
        return true;
    }

    /** The server group of the VM being claimed (or migrated), as locked by the claim. */
    record GroupRule(UUID groupId, ServerGroupPolicy policy, int maxPerHost) {
        static GroupRule of(ResultSet row) throws SQLException {
            UUID id = row.getObject("id", UUID.class);
            if (id == null) {
                throw new SQLException("server_groups.id is null");
            }
            return new GroupRule(id, ServerGroupPolicy.valueOf(row.getString("policy")), row.getInt("max_per_host"));
        }

        /**
         * Whether {@code vmId} on {@code hostId} breaks the hard rule, counting the other members as committed, each
         * where it is and where its migration in flight goes.
         */
        boolean brokenBy(Connection connection, UUID vmId, UUID hostId) throws SQLException {
            return switch (policy) {
                case ANTI_AFFINITY -> count(connection, MEMBERS_ON_HOST, vmId, hostId) >= maxPerHost;
                case AFFINITY -> count(connection, MEMBERS_ELSEWHERE, vmId, hostId) > 0;
                case SOFT_AFFINITY, SOFT_ANTI_AFFINITY -> false;
            };
        }

        /** Whether the group breaks its hard rule with the gang's members placed (visible to this transaction). */
        boolean brokenAfterGang(Connection connection, List<UUID> gangHosts) throws SQLException {
            return switch (policy) {
                case ANTI_AFFINITY ->
                    Jdbc.queryOne(
                                    connection,
                                    HOSTS_OVER_LIMIT,
                                    row -> true,
                                    new Rows.SqlArray("uuid", gangHosts.toArray()),
                                    groupId,
                                    maxPerHost)
                            .isPresent();
                case AFFINITY ->
                    Jdbc.queryOne(connection, MEMBER_HOSTS, row -> row.getLong(1), groupId, groupId)
                                    .orElse(0L)
                            > 1;
                case SOFT_AFFINITY, SOFT_ANTI_AFFINITY -> false;
            };
        }

        private long count(Connection connection, String sql, UUID vmId, UUID hostId) throws SQLException {
            return Jdbc.queryOne(connection, sql, row -> row.getLong(1), groupId, vmId, hostId, hostId)
                    .orElse(0L);
        }
    }

    /** Where a VM is placed, if anywhere. */
    private record Placement(@Nullable UUID hostId) {
        static Placement of(ResultSet row) throws SQLException {
            return new Placement(row.getObject("host_id", UUID.class));
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
