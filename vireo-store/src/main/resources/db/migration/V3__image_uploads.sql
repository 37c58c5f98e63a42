-- Images with uploaded bytes: their status, the SHA-256 of the accepted bytes, the checksum the owner declared, and
-- why the last upload was refused. Existing images keep working as host-local ones (ACTIVE without a checksum).
ALTER TABLE images
    ADD COLUMN status text NOT NULL DEFAULT 'ACTIVE'
        CHECK (status IN ('PENDING', 'UPLOADING', 'ACTIVE', 'REJECTED')),
    ADD COLUMN sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    ADD COLUMN expected_sha256 text CHECK (expected_sha256 ~ '^[0-9a-f]{64}$'),
    ADD COLUMN status_reason text NOT NULL DEFAULT '',
    ADD CONSTRAINT images_sha256_only_when_active CHECK (sha256 IS NULL OR status = 'ACTIVE');

ALTER TABLE images ALTER COLUMN status DROP DEFAULT;
