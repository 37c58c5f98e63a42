package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.VolumeRepository;
import io.vireo.model.Volume;
import io.vireo.store.SqlErrors.Violations;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Data volumes in table {@code volumes}; names are unique within a project. Attaching is done by
 * {@link PostgresVmRepository#create}, detaching by {@link PostgresClaimRepository}. Thread-safe.
 */
final class PostgresVolumeRepository implements VolumeRepository {
    /** Deletes the VM's delete-on-termination volumes. */
    static final String DELETE_WITH_VM = "DELETE FROM volumes WHERE vm_id = ? AND delete_on_termination";

    /**
     * Detaches the VM's kept volumes, recording the host their data stays on: the VM's host, or, for a VM never placed,
     * the host the volume had (a kept volume attached again whose VM found no room there keeps its host).
     */
    static final String DETACH_KEPT = """
            UPDATE volumes SET vm_id = NULL, delete_on_termination = true, host_id = coalesce(CAST(? AS uuid), host_id)
            WHERE vm_id = ? AND NOT delete_on_termination""";

    private final Jdbc jdbc;

    PostgresVolumeRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public Volume create(Volume volume) {
        return jdbc.autoCommit(
                connection -> Jdbc.queryOne(
                                connection,
                                "INSERT INTO volumes (" + Rows.VOLUME_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                                        + " RETURNING " + Rows.VOLUME_COLUMNS,
                                Rows::volume,
                                volume.id(),
                                volume.projectId(),
                                volume.name(),
                                volume.createdAt(),
                                volume.sizeGib(),
                                volume.vmId(),
                                volume.deleteOnTermination(),
                                volume.hostId())
                        .orElseThrow(),
                Violations.unique(() -> VireoException.alreadyExists("volume", volume.name())));
    }

    @Override
    public Optional<Volume> find(UUID id) {
        return jdbc.queryOne("SELECT " + Rows.VOLUME_COLUMNS + " FROM volumes WHERE id = ?", Rows::volume, id);
    }

    @Override
    public Optional<Volume> findByName(UUID projectId, String name) {
        return jdbc.queryOne(
                "SELECT " + Rows.VOLUME_COLUMNS + " FROM volumes WHERE project_id = ? AND name = ?",
                Rows::volume,
                projectId,
                name);
    }

    @Override
    public List<Volume> list(UUID projectId) {
        return jdbc.queryList(
                "SELECT " + Rows.VOLUME_COLUMNS + " FROM volumes WHERE project_id = ? ORDER BY name",
                Rows::volume,
                projectId);
    }

    /** One statement decides: the row is deleted only if unattached, else the flag says why not. */
    @Override
    public DeleteOutcome delete(UUID projectId, String name) {
        return jdbc.autoCommit(connection -> {
            if (Jdbc.update(
                            connection,
                            "DELETE FROM volumes WHERE project_id = ? AND name = ? AND vm_id IS NULL",
                            projectId,
                            name)
                    > 0) {
                return DeleteOutcome.DELETED;
            }
            return exists(connection, projectId, name) ? DeleteOutcome.ATTACHED : DeleteOutcome.NOT_FOUND;
        });
    }

    private static boolean exists(Connection connection, UUID projectId, String name) throws SQLException {
        return Jdbc.queryOne(
                        connection,
                        "SELECT 1 FROM volumes WHERE project_id = ? AND name = ?",
                        row -> row.getInt(1),
                        projectId,
                        name)
                .isPresent();
    }

    /** In the VM's delete transaction: deletes or detaches the VM's volumes. */
    static void release(Connection connection, UUID vmId, @Nullable UUID hostId) throws SQLException {
        Jdbc.update(connection, DELETE_WITH_VM, vmId);
        Jdbc.update(connection, DETACH_KEPT, hostId, vmId);
    }
}
