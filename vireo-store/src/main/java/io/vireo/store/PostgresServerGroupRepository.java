package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.ServerGroupRepository;
import io.vireo.model.ServerGroup;
import io.vireo.model.Vm;
import io.vireo.store.SqlErrors.Violations;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Server groups in table {@code server_groups}; members are the VMs whose {@code server_group_id} names the group.
 *
 * <p>Deleting locks the group row FOR UPDATE, then counts live members: a VM insert into the group holds a KEY SHARE
 * lock on the row (its foreign key), so it either commits before the count sees it or waits and then fails its
 * foreign key check. Claims lock the row FOR NO KEY UPDATE, which does not block VM inserts. Thread-safe.
 */
final class PostgresServerGroupRepository implements ServerGroupRepository {
    private static final String LIVE_MEMBERS =
            "SELECT count(*) FROM vms WHERE server_group_id = ? AND state <> 'DELETED'";

    private final Jdbc jdbc;

    PostgresServerGroupRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public ServerGroup create(ServerGroup group) {
        return jdbc.autoCommit(
                connection -> Jdbc.queryOne(
                                connection,
                                "INSERT INTO server_groups (" + Rows.SERVER_GROUP_COLUMNS
                                        + ") VALUES (?, ?, ?, ?, ?, ?)" + " RETURNING " + Rows.SERVER_GROUP_COLUMNS,
                                Rows::serverGroup,
                                group.id(),
                                group.projectId(),
                                group.name(),
                                group.createdAt(),
                                group.policy(),
                                group.maxPerHost())
                        .orElseThrow(),
                Violations.unique(() -> VireoException.alreadyExists("server group", group.name())));
    }

    @Override
    public Optional<ServerGroup> find(UUID id) {
        return jdbc.queryOne(
                "SELECT " + Rows.SERVER_GROUP_COLUMNS + " FROM server_groups WHERE id = ?", Rows::serverGroup, id);
    }

    @Override
    public Optional<ServerGroup> findByName(UUID projectId, String name) {
        return jdbc.queryOne(
                "SELECT " + Rows.SERVER_GROUP_COLUMNS + " FROM server_groups WHERE project_id = ? AND name = ?",
                Rows::serverGroup,
                projectId,
                name);
    }

    @Override
    public List<ServerGroup> list(UUID projectId) {
        return jdbc.queryList(
                "SELECT " + Rows.SERVER_GROUP_COLUMNS + " FROM server_groups WHERE project_id = ? ORDER BY name",
                Rows::serverGroup,
                projectId);
    }

    @Override
    public List<Vm> members(UUID groupId) {
        return jdbc.queryList(
                "SELECT " + Rows.VM_COLUMNS + " FROM vms WHERE server_group_id = ? AND state <> 'DELETED'"
                        + " ORDER BY name, id",
                Rows::vm,
                groupId);
    }

    @Override
    public boolean delete(UUID groupId) {
        return jdbc.inTransaction(connection -> {
            Optional<String> name = Jdbc.queryOne(
                    connection,
                    "SELECT name FROM server_groups WHERE id = ? FOR UPDATE",
                    row -> row.getString(1),
                    groupId);
            if (name.isEmpty()) {
                return false;
            }
            long live = Jdbc.queryOne(connection, LIVE_MEMBERS, row -> row.getLong(1), groupId)
                    .orElse(0L);
            if (live > 0) {
                throw VireoException.conflict("server group '" + name.get() + "' has " + live + " live member"
                        + (live == 1 ? "" : "s") + "; delete them first");
            }
            Jdbc.update(connection, "DELETE FROM server_groups WHERE id = ?", groupId);
            return true;
        });
    }
}
