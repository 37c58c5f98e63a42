package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.IdempotencyKey;
import io.vireo.controller.port.Page;
import io.vireo.controller.port.VmFilter;
import io.vireo.controller.port.VmRepository;
import io.vireo.model.DesiredState;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.model.Volume;
import io.vireo.model.VolumeAttachment;
import io.vireo.store.SqlErrors.Violations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * VMs in table {@code vms}. Every write is one conditional UPDATE on the spec generation, so concurrent writers never
 * overwrite each other; placement columns are written only by {@link PostgresClaimRepository}. Thread-safe.
 */
final class PostgresVmRepository implements VmRepository {
    private static final String INSERT = "INSERT INTO vms (" + Rows.VM_COLUMNS
            + ", idempotency_key, idempotency_fingerprint)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + Rows.VM_COLUMNS;

    private static final String ATTACH_VOLUME = """
            UPDATE volumes SET vm_id = ?, delete_on_termination = ?
            WHERE id = ? AND project_id = ? AND vm_id IS NULL""";

    /** A pending VM may be taken by {@code owner} if nobody holds it, {@code owner} does, or the hold has lapsed. */
    private static final String FREE_TO_TAKE =
            "(placement_holder IS NULL OR placement_holder = ? OR placement_held_until <= ?)";

    private static final String TAKE_OLDEST = "SELECT id, gang_id FROM vms WHERE state = 'PENDING' AND " + FREE_TO_TAKE
            + " ORDER BY ha_priority DESC, created_at, id LIMIT ? FOR UPDATE SKIP LOCKED";

    private static final String LOCK_GANG_MEMBERS = "SELECT id, gang_id FROM vms WHERE state = 'PENDING' AND "
            + FREE_TO_TAKE + " AND gang_id = ANY(?) FOR UPDATE SKIP LOCKED";

    private static final String COUNT_GANG_MEMBERS =
            "SELECT gang_id, count(*) FROM vms WHERE state = 'PENDING' AND gang_id = ANY(?) GROUP BY gang_id";

    private static final String HOLD = "UPDATE vms SET placement_holder = ?, placement_held_until = ?"
            + " WHERE id = ANY(?) RETURNING " + Rows.VM_COLUMNS;

    /**
     * The order of {@code listPending}: HA priority, highest first (a fenced host's VMs are restarted in that order),
     * then created_at, then id as PostgreSQL orders uuids (its text form).
     */
    private static final java.util.Comparator<Vm> OLDEST_FIRST = java.util.Comparator.comparing(
                    (Vm vm) -> -vm.ha().priority())
            .thenComparing(Vm::createdAt)
            .thenComparing(vm -> vm.id().toString());

    /** The states that are not {@link VmState#settled() settled}, as SQL. */
    private static final String UNSETTLED = java.util.Arrays.stream(VmState.values())
            .filter(state -> !state.settled())
            .map(state -> "'" + state.name() + "'")
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));

    private final Jdbc jdbc;

    PostgresVmRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    /**
     * One transaction: the VM's flavor and image locked against deletion ({@link CatalogLocks}), the VM row, then its
     * volumes attached. With a key, a create that loses a race to a concurrent
     * create with the same key waits for it on a unique index (the key's, or the name's if the name is the same),
     * fails with a unique violation once it commits, rolls back to a savepoint taken before its insert, and then
     * returns the VM the winner created (or IDEMPOTENCY_KEY_REUSED if the winner's request was another).
     * {@code ON CONFLICT DO NOTHING} would not do: it ignores conflicts on the key's index only, not on the name's.
     */
    @Override
    public Vm create(Vm vm, @Nullable IdempotencyKey idempotencyKey) {
        Violations nameTaken = Violations.unique(() -> VireoException.alreadyExists("vm", vm.name()))
                .or(Violations.foreignKey(() -> VireoException.notFound(
                        "server group", String.valueOf(vm.constraints().serverGroupId()))));
        return jdbc.inTransaction(
                connection -> {
                    Optional<Vm> earlier = earlier(connection, vm.projectId(), idempotencyKey);
                    if (earlier.isPresent()) {
                        return earlier.get();
                    }
                    CatalogLocks.lockFlavorAndImage(connection, vm);
                    Savepoint beforeInsert = idempotencyKey == null ? null : connection.setSavepoint();
                    Vm stored;
                    try {
                        stored = insert(connection, vm, idempotencyKey);
                    } catch (SQLException e) {
                        Optional<Vm> winner = winner(connection, beforeInsert, vm.projectId(), idempotencyKey, e);
                        if (winner.isPresent()) {
                            return winner.get();
                        }
                        throw e;
                    }
                    attachVolumes(connection, vm);
                    return stored;
                },
                nameTaken);
    }

    /**
     * One transaction: every member inserted, or none (a taken name is ALREADY_EXISTS for that name). With a key, an
     * earlier create (or a racing one that commits first, as in {@link #create}) wins and its VMs are returned.
     */
    @Override
    public List<Vm> createGang(List<Vm> members, @Nullable IdempotencyKey idempotencyKey) {
        Vm first = members.get(0);
        Violations nameTaken = Violations.unique(() -> VireoException.alreadyExists("vm", takenName(members)))
                .or(Violations.foreignKey(() -> VireoException.notFound(
                        "server group", String.valueOf(first.constraints().serverGroupId()))));
        return jdbc.inTransaction(
                connection -> {
                    Optional<Vm> earlier = earlier(connection, first.projectId(), idempotencyKey);
                    if (earlier.isPresent()) {
                        return createdWith(connection, earlier.get());
                    }
                    CatalogLocks.lockFlavorAndImage(connection, first); // every member has the first's
                    Savepoint beforeInsert = idempotencyKey == null ? null : connection.setSavepoint();
                    List<Vm> stored = new ArrayList<>(members.size());
                    try {
                        for (int i = 0; i < members.size(); i++) {
                            stored.add(insert(connection, members.get(i), i == 0 ? idempotencyKey : null));
                        }
                    } catch (SQLException e) {
                        Optional<Vm> winner = winner(connection, beforeInsert, first.projectId(), idempotencyKey, e);
                        if (winner.isPresent()) {
                            return createdWith(connection, winner.get());
                        }
                        throw e;
                    }
                    return stored;
                },
                nameTaken);
    }

    /**
     * After an insert failed with {@code failure}: if it is a unique violation and a create with the same key has
     * committed meanwhile, rolls back to {@code beforeInsert} and returns what that create made (or throws
     * IDEMPOTENCY_KEY_REUSED for another request); else nothing, and the caller throws {@code failure}.
     */
    private static Optional<Vm> winner(
            Connection connection,
            @Nullable Savepoint beforeInsert,
            UUID projectId,
            @Nullable IdempotencyKey key,
            SQLException failure)
            throws SQLException {
        if (key == null || beforeInsert == null || !SqlErrors.UNIQUE_VIOLATION.equals(failure.getSQLState())) {
            return Optional.empty();
        }
        connection.rollback(beforeInsert);
        return earlier(connection, projectId, key);
    }

    /** The first member name a live VM of the project already has (for the error), or the first name. */
    private String takenName(List<Vm> members) {
        for (Vm vm : members) {
            if (findByName(vm.projectId(), vm.name()).isPresent()) {
                return vm.name();
            }
        }
        return members.get(0).name();
    }

    /** What the create that recorded a key made: its gang, or its one VM. */
    private static List<Vm> createdWith(Connection connection, Vm keyed) throws SQLException {
        UUID gangId = keyed.constraints().gangId();
        return gangId == null ? List.of(keyed) : gangMembers(connection, gangId);
    }

    @Override
    public List<Vm> gangMembers(UUID gangId) {
        return jdbc.autoCommit(connection -> gangMembers(connection, gangId));
    }

    private static List<Vm> gangMembers(Connection connection, UUID gangId) throws SQLException {
        return Jdbc.queryList(
                connection,
                "SELECT " + Rows.VM_COLUMNS + " FROM vms WHERE gang_id = ? ORDER BY length(name), name",
                Rows::vm,
                gangId);
    }

    /** Throws CONFLICT (rolling the VM back) if a volume was taken or deleted meanwhile. */
    private static void attachVolumes(Connection connection, Vm vm) throws SQLException {
        for (VolumeAttachment attachment : vm.guest().volumes()) {
            int attached = Jdbc.update(
                    connection,
                    ATTACH_VOLUME,
                    vm.id(),
                    attachment.deleteOnTermination(),
                    attachment.volumeId(),
                    vm.projectId());
            if (attached == 0) {
                String problem = Jdbc.queryOne(
                                connection,
                                "SELECT " + Rows.VOLUME_COLUMNS + " FROM volumes WHERE id = ? AND project_id = ?",
                                Rows::volume,
                                attachment.volumeId(),
                                vm.projectId())
                        .flatMap(Volume::attachProblem)
                        .orElse("volume " + attachment.volumeId() + " is gone");
                throw VireoException.conflict(problem);
            }
        }
    }

    private static Vm insert(Connection connection, Vm vm, @Nullable IdempotencyKey idempotencyKey)
            throws SQLException {
        List<@Nullable Object> parameters = new ArrayList<@Nullable Object>(Arrays.<@Nullable Object>asList(
                vm.id(),
                vm.projectId(),
                vm.name(),
                vm.createdAt(),
                vm.flavorId(),
                vm.imageId(),
                vm.resources().vcpus(),
                vm.resources().memoryMib(),
                vm.resources().diskGib(),
                vm.generation(),
                vm.desiredState(),
                vm.rebootCount(),
                vm.hostId(),
                vm.epoch(),
                vm.state(),
                vm.stateReason(),
                vm.observedGeneration(),
                vm.startedAt(),
                vm.updatedAt(),
                vm.constraints().serverGroupId(),
                vm.constraints().availabilityZone(),
                List.copyOf(new TreeSet<>(vm.constraints().requiredTraits())),
                List.copyOf(new TreeSet<>(vm.constraints().forbiddenTraits())),
                vm.constraints().gangId()));
        parameters.addAll(Rows.guestParameters(vm.guest()));
        parameters.add(vm.ha().mode());
        parameters.add(vm.ha().priority());
        parameters.add(idempotencyKey == null ? null : idempotencyKey.key());
        parameters.add(idempotencyKey == null ? null : idempotencyKey.fingerprint());
        return Jdbc.queryOne(connection, INSERT, Rows::vm, parameters.toArray()).orElseThrow();
    }

    /**
     * The VM (a gang's first member) a create with {@code key} made in the project, if any and if its request had the
     * same fingerprint; IDEMPOTENCY_KEY_REUSED if it had another.
     */
    private static Optional<Vm> earlier(Connection connection, UUID projectId, @Nullable IdempotencyKey key)
            throws SQLException {
        if (key == null) {
            return Optional.empty();
        }
        Optional<KeyedVm> keyed = Jdbc.queryOne(
                connection,
                "SELECT " + Rows.VM_COLUMNS + ", idempotency_fingerprint FROM vms"
                        + " WHERE project_id = ? AND idempotency_key = ?",
                row -> new KeyedVm(Rows.vm(row), row.getString("idempotency_fingerprint")),
                projectId,
                key.key());
        if (keyed.isPresent() && !key.sameRequestAs(keyed.get().fingerprint())) {
            throw key.reusedBy(keyed.get().vm());
        }
        return keyed.map(KeyedVm::vm);
    }

    /** A VM created with an idempotency key, and the fingerprint recorded with the key (null before V20). */
    private record KeyedVm(Vm vm, @Nullable String fingerprint) {}

    @Override
    public Optional<Vm> find(UUID id) {
        return jdbc.queryOne("SELECT " + Rows.VM_COLUMNS + " FROM vms WHERE id = ?", Rows::vm, id);
    }

    @Override
    public Optional<Vm> findByName(UUID projectId, String name) {
        return jdbc.queryOne(
                "SELECT " + Rows.VM_COLUMNS + " FROM vms WHERE project_id = ? AND name = ? AND state <> 'DELETED'",
                Rows::vm,
                projectId,
                name);
    }

    /** Keyset pagination on (name, id): reads one row more than the limit to know whether a next page exists. */
    @Override
    public Page<Vm> list(VmFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + Rows.VM_COLUMNS + " FROM vms WHERE ");
        List<@Nullable Object> parameters = new ArrayList<>();
        VmState state = filter.state();
        if (state == null) {
            sql.append("state <> 'DELETED'");
        } else {
            sql.append("state = ?");
            parameters.add(state);
        }
        UUID projectId = filter.projectId();
        if (projectId != null) {
            sql.append(" AND project_id = ?");
            parameters.add(projectId);
        }
        UUID hostId = filter.hostId();
        if (hostId != null) {
            sql.append(" AND host_id = ?");
            parameters.add(hostId);
        }
        String cursor = filter.cursor();
        if (cursor != null) {
            VmCursor after = VmCursor.decode(cursor);
            sql.append(" AND (name, id) > (?, ?)");
            parameters.add(after.name());
            parameters.add(after.id());
        }
        sql.append(" ORDER BY name, id LIMIT ?");
        parameters.add(filter.limit() + 1);
        List<Vm> rows = jdbc.queryList(sql.toString(), Rows::vm, parameters.toArray());
        if (rows.size() <= filter.limit()) {
            return new Page<>(rows, null);
        }
        List<Vm> page = rows.subList(0, filter.limit());
        Vm last = page.get(page.size() - 1);
        return new Page<>(page, new VmCursor(last.name(), last.id()).encode());
    }

    @Override
    public List<Vm> listByHost(UUID hostId) {
        return jdbc.queryList(
                "SELECT " + Rows.VM_COLUMNS + " FROM vms WHERE host_id = ? AND state <> 'DELETED' ORDER BY name, id",
                Rows::vm,
                hostId);
    }

    @Override
    public List<Vm> listUnsettled(Instant changedBefore, int limit) {
        return jdbc.queryList(
                "SELECT " + Rows.VM_COLUMNS + " FROM vms WHERE state IN " + UNSETTLED
                        + " AND updated_at < ? ORDER BY updated_at, id LIMIT ?",
                Rows::vm,
                changedBefore,
                limit);
    }

    @Override
    public List<Vm> listPending(int limit) {
        return jdbc.queryList(
                "SELECT " + Rows.VM_COLUMNS
                        + " FROM vms WHERE state = 'PENDING' ORDER BY ha_priority DESC, created_at, id LIMIT ?",
                Rows::vm,
                limit);
    }

    /**
     * One short transaction: the oldest pending VMs free to take, locked with {@code FOR UPDATE SKIP LOCKED} (rows
     * another replica is taking right now are skipped, not waited for); then the pending members of every gang among
     * them, also SKIP LOCKED, and a gang is kept only if all its pending members were locked and free; then the hold
     * is written. The row locks end with the transaction; the hold lapses at {@code now + lease} unless released.
     */
    @Override
    public List<Vm> takePending(UUID owner, int limit, Duration lease, Instant now) {
        return jdbc.inTransaction(connection -> {
            List<PendingRow> oldest = Jdbc.queryList(connection, TAKE_OLDEST, PendingRow::of, owner, now, limit);
            Set<UUID> taken = new LinkedHashSet<>();
            Set<UUID> gangs = new LinkedHashSet<>();
            for (PendingRow row : oldest) {
                if (row.gangId() == null) {
                    taken.add(row.id());
                } else {
                    gangs.add(row.gangId());
                }
            }
            if (!gangs.isEmpty()) {
                taken.addAll(wholeGangs(connection, owner, now, gangs));
            }
            if (taken.isEmpty()) {
                return List.of();
            }
            Object ids = new Rows.SqlArray("uuid", taken.toArray());
            List<Vm> held = new ArrayList<>(Jdbc.queryList(connection, HOLD, Rows::vm, owner, now.plus(lease), ids));
            held.sort(OLDEST_FIRST);
            return held;
        });
    }

    /** The pending members of the gangs whose every pending member this transaction locked and may take. */
    private static List<UUID> wholeGangs(Connection connection, UUID owner, Instant now, Set<UUID> gangs)
            throws SQLException {
        Object gangIds = new Rows.SqlArray("uuid", gangs.toArray());
        List<PendingRow> locked = Jdbc.queryList(connection, LOCK_GANG_MEMBERS, PendingRow::of, owner, now, gangIds);
        Map<UUID, Long> pending = new java.util.HashMap<>();
        for (PendingCount count : Jdbc.queryList(connection, COUNT_GANG_MEMBERS, PendingCount::of, gangIds)) {
            pending.put(count.gangId(), count.members());
        }
        Map<UUID, List<UUID>> lockedByGang = new java.util.HashMap<>();
        for (PendingRow row : locked) {
            if (row.gangId() != null) {
                lockedByGang
                        .computeIfAbsent(row.gangId(), id -> new ArrayList<>())
                        .add(row.id());
            }
        }
        List<UUID> members = new ArrayList<>();
        lockedByGang.forEach((gangId, ids) -> {
            if (pending.getOrDefault(gangId, 0L) == ids.size()) {
                members.addAll(ids);
            }
        });
        return members;
    }

    @Override
    public void releasePending(UUID owner, Collection<UUID> vmIds) {
        if (vmIds.isEmpty()) {
            return;
        }
        jdbc.update(
                "UPDATE vms SET placement_holder = NULL, placement_held_until = NULL"
                        + " WHERE placement_holder = ? AND id = ANY(?)",
                owner,
                new Rows.SqlArray("uuid", vmIds.toArray()));
    }

    /** How many members of a gang are pending. */
    private record PendingCount(UUID gangId, long members) {
        static PendingCount of(java.sql.ResultSet row) throws SQLException {
            UUID gangId = row.getObject(1, UUID.class);
            if (gangId == null) {
                throw new SQLException("vms.gang_id is null");
            }
            return new PendingCount(gangId, row.getLong(2));
        }
    }

    /** A pending VM's id and gang, as {@code takePending} locks it. */
    private record PendingRow(UUID id, @Nullable UUID gangId) {
        static PendingRow of(java.sql.ResultSet row) throws SQLException {
            UUID id = row.getObject("id", UUID.class);
            if (id == null) {
                throw new SQLException("vms.id is null");
            }
            return new PendingRow(id, row.getObject("gang_id", UUID.class));
        }
    }

    @Override
    public boolean updateSpec(
            UUID id,
            long expectedGeneration,
            long expectedEpoch,
            long newGeneration,
            DesiredState desiredState,
            long rebootCount,
            VmState state,
            @Nullable String stateReason,
            Instant now) {
        return jdbc.update(
                        """
                        UPDATE vms SET generation = ?, desired_state = ?, reboot_count = ?, state = ?,
                                       state_reason = ?, updated_at = ?
                        WHERE id = ? AND generation = ? AND epoch = ? AND state <> 'DELETED'""",
                        newGeneration,
                        desiredState,
                        rebootCount,
                        state,
                        stateReason,
                        now,
                        id,
                        expectedGeneration,
                        expectedEpoch)
                > 0;
    }

    @Override
    public boolean updateStatus(
            UUID id,
            long expectedGeneration,
            long expectedEpoch,
            VmState state,
            @Nullable String stateReason,
            long observedGeneration,
            @Nullable Instant startedAt,
            Instant now) {
        return jdbc.update(
                        """
                        UPDATE vms SET state = ?, state_reason = ?, observed_generation = ?, started_at = ?,
                                       updated_at = ?
                        WHERE id = ? AND generation = ? AND epoch = ? AND state <> 'DELETED'""",
                        state,
                        stateReason,
                        observedGeneration,
                        startedAt,
                        now,
                        id,
                        expectedGeneration,
                        expectedEpoch)
                > 0;
    }

    @Override
    public boolean markUnplaceable(UUID id, long expectedGeneration, String reason, Instant now) {
        return jdbc.update("""
                        UPDATE vms SET state = 'ERROR', state_reason = ?, started_at = NULL, updated_at = ?
                        WHERE id = ? AND generation = ? AND host_id IS NULL AND state = 'PENDING'""", reason, now, id, expectedGeneration) > 0;
    }

    @Override
    public Map<VmState, Long> countByState() {
        Map<VmState, Long> counts = new EnumMap<>(VmState.class);
        jdbc.queryList(
                        "SELECT state, count(*) FROM vms WHERE state <> 'DELETED' GROUP BY state",
                        row -> Map.entry(VmState.valueOf(row.getString(1)), row.getLong(2)))
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
        return counts;
    }

    @Override
    public Map<UUID, Map<VmState, Long>> countByHostAndState() {
        Map<UUID, Map<VmState, Long>> counts = new HashMap<>();
        jdbc.queryList(
                "SELECT host_id, state, count(*) FROM vms WHERE state <> 'DELETED' AND host_id IS NOT NULL"
                        + " GROUP BY host_id, state",
                row -> {
                    counts.computeIfAbsent(row.getObject(1, UUID.class), host -> new EnumMap<>(VmState.class))
                            .put(VmState.valueOf(row.getString(2)), row.getLong(3));
                    return row.getLong(3);
                });
        return counts;
    }

    @Override
    public ReconcileBacklog reconcileBacklog() {
        return jdbc.queryList(
                        "SELECT count(*) AS vms, min(updated_at) AS oldest FROM vms"
                                + " WHERE state NOT IN ('DELETED', 'ERROR') AND observed_generation < generation",
                        row -> new ReconcileBacklog(row.getLong("vms"), Rows.nullableInstant(row, "oldest")))
                .getFirst();
    }
}
