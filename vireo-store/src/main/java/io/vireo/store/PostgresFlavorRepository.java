package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.CatalogDeletion;
import io.vireo.controller.port.FlavorRepository;
import io.vireo.model.Flavor;
import io.vireo.store.SqlErrors.Violations;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Flavors in table {@code flavors}; the unique name is enforced by the table. Thread-safe. */
final class PostgresFlavorRepository implements FlavorRepository {
    private final Jdbc jdbc;

    PostgresFlavorRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public Flavor create(Flavor flavor) {
        return jdbc.autoCommit(
                connection -> Jdbc.queryOne(
                                connection,
                                "INSERT INTO flavors (" + Rows.FLAVOR_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)"
                                        + " RETURNING " + Rows.FLAVOR_COLUMNS,
                                Rows::flavor,
                                flavor.id(),
                                flavor.name(),
                                flavor.createdAt(),
                                flavor.resources().vcpus(),
                                flavor.resources().memoryMib(),
                                flavor.resources().diskGib())
                        .orElseThrow(),
                Violations.unique(() -> VireoException.alreadyExists("flavor", flavor.name())));
    }

    @Override
    public Optional<Flavor> find(UUID id) {
        return jdbc.queryOne("SELECT " + Rows.FLAVOR_COLUMNS + " FROM flavors WHERE id = ?", Rows::flavor, id);
    }

    @Override
    public Optional<Flavor> findByName(String name) {
        return jdbc.queryOne("SELECT " + Rows.FLAVOR_COLUMNS + " FROM flavors WHERE name = ?", Rows::flavor, name);
    }

    @Override
    public List<Flavor> list() {
        return jdbc.queryList("SELECT " + Rows.FLAVOR_COLUMNS + " FROM flavors ORDER BY name", Rows::flavor);
    }

    /**
     * One READ COMMITTED transaction: the flavor's row locked {@code FOR UPDATE} (waiting for VM creates that hold it
     * {@code FOR KEY SHARE}, see {@link PostgresVmRepository}), then its live VMs counted by a new statement, whose
     * snapshot sees every create that committed meanwhile, then the row deleted if none.
     */
    @Override
    public CatalogDeletion delete(String name) {
        return jdbc.inTransaction(connection -> {
            Optional<UUID> id = Jdbc.queryOne(
                    connection, "SELECT id FROM flavors WHERE name = ? FOR UPDATE", row -> Rows.uuid(row, "id"), name);
            if (id.isEmpty()) {
                return CatalogDeletion.NOT_FOUND;
            }
            long using = CatalogLocks.liveVms(connection, "flavor_id", id.get());
            if (using > 0) {
                return new CatalogDeletion.InUse(using);
            }
            Jdbc.update(connection, "DELETE FROM flavors WHERE id = ?", id.get());
            return CatalogDeletion.DELETED;
        });
    }
}
