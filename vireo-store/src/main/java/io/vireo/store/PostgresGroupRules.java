package io.vireo.store;

import io.vireo.controller.port.ClaimResult;
import io.vireo.controller.port.VmTransition;
import io.vireo.model.ServerGroup;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The server groups of a claim, on PostgreSQL: locked at the start of the claim's transaction, then their hard rule
 * checked with the one Java definition, {@link ServerGroup#hardRuleBrokenAt}, over the members read inside the
 * transaction. No rule is spelled out in SQL.
 *
 * <p>The groups are locked {@code FOR NO KEY UPDATE}, in id order (uuid order is the same in SQL and in the text form),
 * before any host or VM row: two claims of one group are serialised on the group row, so they never both pass on the
 * same members, across server replicas too; a VM insert into the group (its foreign key takes {@code KEY SHARE}) is
 * not blocked, while a group's delete ({@code FOR UPDATE}) waits. Members are read after the lock, on a fresh READ
 * COMMITTED snapshot, so they include everything committed by the claims that held the lock before. One instance per
 * claim transaction; not thread-safe.
 */
final class PostgresGroupRules {
    private static final String GROUP_COLUMNS = Arrays.stream(Rows.SERVER_GROUP_COLUMNS.split(", "))
            .map(column -> "g." + column)
            .collect(Collectors.joining(", "));

    /** The groups of the claim's VMs, each with the VMs of the claim in it, locked in id order. */
    private static final String LOCK_GROUPS = "SELECT v.id AS vm_id, " + GROUP_COLUMNS + """
             FROM vms v JOIN server_groups g ON g.id = v.server_group_id
            WHERE v.id = ANY(?) ORDER BY g.id FOR NO KEY UPDATE OF g""";

    /**
     * The group's live members but the claim's own, each with its host and the destination of its migration in flight
     * (at most one per VM: the partial unique index {@code migrations_one_in_flight}).
     */
    private static final String MEMBERS = """
            SELECT v.id, v.host_id, m.destination_host_id FROM vms v
            LEFT JOIN migrations m ON m.vm_id = v.id AND m.state IN ('PREPARING', 'MIGRATING')
            WHERE v.server_group_id = ? AND v.state <> 'DELETED' AND NOT (v.id = ANY(?))""";

    private final Map<UUID, ServerGroup> groupOfVm;

    private PostgresGroupRules(Map<UUID, ServerGroup> groupOfVm) {
        this.groupOfVm = groupOfVm;
    }

    /** Locks the groups of the VMs of {@code transitions}; call first in the claim's transaction. */
    static PostgresGroupRules lock(Connection connection, List<VmTransition> transitions) throws SQLException {
        Map<UUID, ServerGroup> groupOfVm = new HashMap<>();
        for (VmInGroup row : Jdbc.queryList(connection, LOCK_GROUPS, VmInGroup::of, vmIds(transitions))) {
            groupOfVm.put(row.vmId(), row.group());
        }
        return new PostgresGroupRules(groupOfVm);
    }

    /**
     * The first group (in id order) whose hard rule the placements of {@code transitions} break, counting its other
     * live members where they are and where their migrations in flight go; empty if none does.
     */
    Optional<ClaimResult.Refused> broken(Connection connection, List<VmTransition> transitions) throws SQLException {
        Map<ServerGroup, List<UUID>> placements = new TreeMap<>(Comparator.comparing(g -> g.id().toString()));
        for (VmTransition transition : transitions) {
            ServerGroup group = groupOfVm.get(transition.vmId());
            if (group != null && group.policy().isHard()) {
                placements.computeIfAbsent(group, g -> new ArrayList<>()).add(transition.hostId());
            }
        }
        Object moving = vmIds(transitions);
        for (Map.Entry<ServerGroup, List<UUID>> entry : placements.entrySet()) {
            ServerGroup group = entry.getKey();
            Optional<UUID> host = group.hardRuleBrokenAt(members(connection, group, moving), entry.getValue());
            if (host.isPresent()) {
                return Optional.of(new ClaimResult.GroupRuleBroken(group.id(), host.get()));
            }
        }
        return Optional.empty();
    }

    private static List<Set<UUID>> members(Connection connection, ServerGroup group, Object moving)
            throws SQLException {
        Map<UUID, Set<UUID>> where = new LinkedHashMap<>();
        for (MemberRow row : Jdbc.queryList(connection, MEMBERS, MemberRow::of, group.id(), moving)) {
            Set<UUID> hosts = where.computeIfAbsent(row.vmId(), id -> new HashSet<>());
            if (row.hostId() != null) {
                hosts.add(row.hostId());
            }
            if (row.destinationHostId() != null) {
                hosts.add(row.destinationHostId());
            }
        }
        return List.copyOf(where.values());
    }

    static Rows.SqlArray vmIds(List<VmTransition> transitions) {
        return new Rows.SqlArray(
                "uuid", transitions.stream().map(VmTransition::vmId).toArray());
    }

    /** A VM of the claim and its group. */
    private record VmInGroup(UUID vmId, ServerGroup group) {
        static VmInGroup of(ResultSet row) throws SQLException {
            return new VmInGroup(Rows.uuid(row, "vm_id"), Rows.serverGroup(row));
        }
    }

    /** A member of a group: where it is, and where its migration in flight goes. */
    private record MemberRow(
            UUID vmId, @Nullable UUID hostId, @Nullable UUID destinationHostId) {
        static MemberRow of(ResultSet row) throws SQLException {
            return new MemberRow(
                    Rows.uuid(row, "id"),
                    row.getObject("host_id", UUID.class),
                    row.getObject("destination_host_id", UUID.class));
        }
    }
}
