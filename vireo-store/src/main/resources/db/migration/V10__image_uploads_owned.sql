-- Image uploads that outlive their receiver. An UPLOADING image records which server replica receives its bytes
-- (upload_owner, the replica's persistent id), the attempt (upload_id, which also names its partial file), when it
-- began and when the owner last confirmed it still works on it. A replica reclaims, at start, the uploads it owned
-- itself before it stopped, and, at any time, uploads whose owner stopped renewing them (see vireo-images/README.md).
-- Uploads left UPLOADING by a version without these columns cannot be owned by anyone: they go back to PENDING.
UPDATE images
SET status = 'PENDING',
    status_reason = 'the upload was interrupted (the server stopped while receiving it); upload the file again'
WHERE status = 'UPLOADING';

ALTER TABLE images
    ADD COLUMN upload_id uuid,
    ADD COLUMN upload_owner uuid,
    ADD COLUMN upload_started_at timestamptz,
    ADD COLUMN upload_renewed_at timestamptz,
    ADD CONSTRAINT images_upload_exactly_when_uploading CHECK (
        (status = 'UPLOADING') = (upload_id IS NOT NULL)
        AND (upload_id IS NULL) = (upload_owner IS NULL)
        AND (upload_id IS NULL) = (upload_started_at IS NULL)
        AND (upload_id IS NULL) = (upload_renewed_at IS NULL));
