package io.vireo.store;

import io.vireo.common.VireoException;
import io.vireo.model.Vm;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * How VM creates and flavor or image deletes exclude each other (ADR 12): a create locks its flavor's and image's rows
 * {@code FOR KEY SHARE} in its transaction (several creates share it; uploads, which update an image row without
 * touching its key, do not wait for it), a delete locks the row {@code FOR UPDATE} and then counts the live VMs made
 * from it. Whichever locks first wins: a delete that locked first makes the create find no row (NOT_FOUND); a create
 * that locked first has committed its VM before the delete's count, which in READ COMMITTED takes a fresh snapshot
 * and sees it. Lock order: flavor, then image; a delete locks one row only, so the two never deadlock.
 */
final class CatalogLocks {
    private CatalogLocks() {}

    /** Locks {@code vm}'s flavor and image against deletion until the transaction ends; NOT_FOUND if one is gone. */
    static void lockFlavorAndImage(Connection connection, Vm vm) throws SQLException {
        if (Jdbc.queryOne(connection, "SELECT 1 FROM flavors WHERE id = ? FOR KEY SHARE", row -> 1, vm.flavorId())
                .isEmpty()) {
            throw VireoException.notFound("flavor", vm.flavorId().toString());
        }
        if (Jdbc.queryOne(connection, "SELECT 1 FROM images WHERE id = ? FOR KEY SHARE", row -> 1, vm.imageId())
                .isEmpty()) {
            throw VireoException.notFound("image", vm.imageId().toString());
        }
    }

    /** How many VMs that are not DELETED have {@code id} in {@code column} ({@code flavor_id} or {@code image_id}). */
    static long liveVms(Connection connection, String column, UUID id) throws SQLException {
        return Jdbc.queryOne(
                        connection,
                        "SELECT count(*) FROM vms WHERE " + column + " = ? AND state <> 'DELETED'",
                        row -> row.getLong(1),
                        id)
                .orElseThrow();
    }
}
