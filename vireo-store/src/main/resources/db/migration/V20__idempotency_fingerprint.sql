-- The fingerprint of the request an idempotency key came with: the SHA-256 (lowercase hex) of the create request's
-- canonical form (CreateVmRequest.fingerprint: every field but the key, so neither whitespace nor field order counts),
-- written with the key, on the VM (a gang's first member), in the create's transaction. The same key with another
-- fingerprint is another request and is refused (IDEMPOTENCY_KEY_REUSED, 422). Keys recorded before V20 have none and
-- match any request, as they did then.

ALTER TABLE vms
    ADD COLUMN idempotency_fingerprint text,
    ADD CONSTRAINT vms_idempotency_fingerprint_sha256 CHECK (idempotency_fingerprint ~ '^[0-9a-f]{64}$'),
    ADD CONSTRAINT vms_idempotency_fingerprint_with_key
        CHECK (idempotency_fingerprint IS NULL OR idempotency_key IS NOT NULL);
