package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
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

    @Override
    public boolean delete(String name) {
        return jdbc.update("DELETE FROM flavors WHERE name = ?", name) > 0;
    }
}
