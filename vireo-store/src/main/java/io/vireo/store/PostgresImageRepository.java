package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.CatalogDeletion;
import io.vireo.controller.port.ImageRepository;
import io.vireo.model.Image;
import io.vireo.model.ImageContent;
import io.vireo.model.ImageStatus;
import io.vireo.store.SqlErrors.Violations;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Image metadata in table {@code images}; names are unique within a project. Thread-safe. */
final class PostgresImageRepository implements ImageRepository {
    private final Jdbc jdbc;

    PostgresImageRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public Image create(Image image) {
        return jdbc.autoCommit(
                connection -> Jdbc.queryOne(
                                connection,
                                "INSERT INTO images (" + Rows.IMAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                        + " RETURNING " + Rows.IMAGE_COLUMNS,
                                Rows::image,
                                image.id(),
                                image.projectId(),
                                image.name(),
                                image.createdAt(),
                                image.format(),
                                image.sizeBytes(),
                                image.content().status(),
                                image.content().sha256(),
                                image.content().expectedSha256(),
                                image.content().reason())
                        .orElseThrow(),
                Violations.unique(() -> VireoException.alreadyExists("image", image.name())));
    }

    @Override
    public Optional<Image> find(UUID id) {
        return jdbc.queryOne("SELECT " + Rows.IMAGE_COLUMNS + " FROM images WHERE id = ?", Rows::image, id);
    }

    @Override
    public Optional<Image> findByName(UUID projectId, String name) {
        return jdbc.queryOne(
                "SELECT " + Rows.IMAGE_COLUMNS + " FROM images WHERE project_id = ? AND name = ?",
                Rows::image,
                projectId,
                name);
    }

    @Override
    public List<Image> list(UUID projectId) {
        return jdbc.queryList(
                "SELECT " + Rows.IMAGE_COLUMNS + " FROM images WHERE project_id = ? ORDER BY name",
                Rows::image,
                projectId);
    }

    /** As {@link PostgresFlavorRepository#delete}: the row locked, its live VMs counted, deleted if none. */
    @Override
    public CatalogDeletion delete(UUID projectId, String name) {
        return jdbc.inTransaction(connection -> {
            Optional<UUID> id = Jdbc.queryOne(
                    connection,
                    "SELECT id FROM images WHERE project_id = ? AND name = ? FOR UPDATE",
                    row -> Rows.uuid(row, "id"),
                    projectId,
                    name);
            if (id.isEmpty()) {
                return CatalogDeletion.NOT_FOUND;
            }
            long using = CatalogLocks.liveVms(connection, "image_id", id.get());
            if (using > 0) {
                return new CatalogDeletion.InUse(using);
            }
            Jdbc.update(connection, "DELETE FROM images WHERE id = ?", id.get());
            return CatalogDeletion.DELETED;
        });
    }

    @Override
    public Optional<Image> updateContent(UUID id, ImageStatus expected, ImageContent content, long sizeBytes) {
        if (content.status() == ImageStatus.UPLOADING || expected == ImageStatus.UPLOADING) {
            throw new IllegalArgumentException("uploads start with startUpload and end with finishUpload");
        }
        return jdbc.queryOne(
                "UPDATE images SET status = ?, sha256 = ?, expected_sha256 = ?, status_reason = ?, size_bytes = ?"
                        + " WHERE id = ? AND status = ? RETURNING " + Rows.IMAGE_COLUMNS,
                Rows::image,
                content.status(),
                content.sha256(),
                content.expectedSha256(),
                content.reason(),
                sizeBytes,
                id,
                expected);
    }

    @Override
    public Optional<Image> startUpload(ImageStatus expected, Upload upload) {
        if (expected == ImageStatus.UPLOADING) {
            return Optional.empty();
        }
        return jdbc.queryOne(
                "UPDATE images SET status = 'UPLOADING', sha256 = NULL, status_reason = '', size_bytes = 0,"
                        + " upload_id = ?, upload_owner = ?, upload_started_at = ?, upload_renewed_at = ?"
                        + " WHERE id = ? AND status = ? RETURNING " + Rows.IMAGE_COLUMNS,
                Rows::image,
                upload.uploadId(),
                upload.owner(),
                upload.startedAt(),
                upload.renewedAt(),
                upload.imageId(),
                expected);
    }

    @Override
    public boolean renewUpload(UUID imageId, UUID uploadId, Instant now) {
        return jdbc.update(
                        "UPDATE images SET upload_renewed_at = greatest(upload_renewed_at, CAST(? AS timestamptz))"
                                + " WHERE id = ? AND upload_id = ?",
                        now,
                        imageId,
                        uploadId)
                > 0;
    }

    @Override
    public Optional<Image> finishUpload(UUID imageId, UUID uploadId, ImageContent content, long sizeBytes) {
        if (content.status() == ImageStatus.UPLOADING) {
            throw new IllegalArgumentException("an upload cannot finish UPLOADING");
        }
        return jdbc.queryOne(
                "UPDATE images SET status = ?, sha256 = ?, expected_sha256 = ?, status_reason = ?, size_bytes = ?,"
                        + " upload_id = NULL, upload_owner = NULL, upload_started_at = NULL, upload_renewed_at = NULL"
                        + " WHERE id = ? AND upload_id = ? RETURNING " + Rows.IMAGE_COLUMNS,
                Rows::image,
                content.status(),
                content.sha256(),
                content.expectedSha256(),
                content.reason(),
                sizeBytes,
                imageId,
                uploadId);
    }

    @Override
    public List<Upload> uploads() {
        return jdbc.queryList(
                "SELECT id, upload_id, upload_owner, upload_started_at, upload_renewed_at FROM images"
                        + " WHERE upload_id IS NOT NULL ORDER BY upload_started_at",
                row -> new Upload(
                        Rows.uuid(row, "id"),
                        Rows.uuid(row, "upload_id"),
                        Rows.uuid(row, "upload_owner"),
                        Rows.instant(row, "upload_started_at"),
                        Rows.instant(row, "upload_renewed_at")));
    }

    @Override
    public List<UUID> storedImageIds() {
        return jdbc.queryList(
                "SELECT id FROM images WHERE sha256 IS NOT NULL ORDER BY id", row -> Rows.uuid(row, "id"));
    }
}
