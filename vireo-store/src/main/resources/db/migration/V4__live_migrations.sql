-- Live migrations. While a migration is in flight (PREPARING, MIGRATING) its destination host holds the VM's
-- resources besides the VM's own allocation on the source: hosts.allocated_* of the destination includes them, and
-- the row here is the record of that hold. Completing moves the VM's allocation row to the destination and releases
-- the source; failing releases the hold. Both happen in one transaction with the state change.
CREATE TABLE migrations (
    id                  uuid PRIMARY KEY,
    vm_id               uuid NOT NULL REFERENCES vms (id),
    source_host_id      uuid NOT NULL REFERENCES hosts (id),
    destination_host_id uuid NOT NULL REFERENCES hosts (id),
    state               text NOT NULL CHECK (state IN ('PREPARING', 'MIGRATING', 'COMPLETED', 'FAILED')),
    vcpus               integer NOT NULL CHECK (vcpus >= 0),
    memory_mib          bigint NOT NULL CHECK (memory_mib >= 0),
    disk_gib            bigint NOT NULL CHECK (disk_gib >= 0),
    -- The VM's placement epoch when the migration was requested.
    source_epoch        bigint NOT NULL CHECK (source_epoch >= 0),
    error               text,
    correlation_id      text,
    -- When the migration was requested.
    created_at          timestamptz NOT NULL,
    finished_at         timestamptz,
    -- What the source measured (milliseconds, bytes); null until it reports.
    total_millis        bigint CHECK (total_millis >= 0),
    disk_copy_millis    bigint CHECK (disk_copy_millis >= 0),
    memory_millis       bigint CHECK (memory_millis >= 0),
    downtime_millis     bigint CHECK (downtime_millis >= 0),
    transferred_bytes   bigint CHECK (transferred_bytes >= 0),
    CONSTRAINT migrations_two_hosts CHECK (source_host_id <> destination_host_id)
);

-- At most one migration of a VM in flight.
CREATE UNIQUE INDEX migrations_one_in_flight ON migrations (vm_id) WHERE state IN ('PREPARING', 'MIGRATING');
CREATE INDEX migrations_vm ON migrations (vm_id, created_at DESC);
CREATE INDEX migrations_in_flight ON migrations (created_at) WHERE state IN ('PREPARING', 'MIGRATING');
