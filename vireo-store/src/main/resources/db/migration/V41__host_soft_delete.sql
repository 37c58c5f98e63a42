-- Deleted hosts (ADR 26). A host is never removed: migrations, allocations, VMs, VM samples and volumes keep
-- referring to it, and their history must still name it. A deleted host keeps its row with the time it was deleted;
-- every listing, lookup, claim and heartbeat of the store skips it.
ALTER TABLE hosts ADD COLUMN deleted_at timestamptz;

-- A name is one live host's: once its host is deleted, the name can be enrolled again as a new host (a new id).
ALTER TABLE hosts DROP CONSTRAINT hosts_name_key;
CREATE UNIQUE INDEX hosts_name_live ON hosts (name) WHERE deleted_at IS NULL;
