-- Pause/resume: a VM may be desired PAUSED.
ALTER TABLE vms DROP CONSTRAINT vms_desired_state_check;
ALTER TABLE vms ADD CONSTRAINT vms_desired_state_check
    CHECK (desired_state IN ('RUNNING', 'STOPPED', 'DELETED', 'PAUSED'));

-- The latest resource-use sample of each VM, as its host's agent sent it with a heartbeat (ADR 6). One row per VM, replaced by every sample: no history. Values are reported, not
-- enforced, hence no CHECK; NULL means "not available" (a guest that does not report balloon statistics, a VM without
-- a network interface), never zero.
CREATE TABLE vm_stats (
    vm_id                        uuid PRIMARY KEY REFERENCES vms (id),
    id                           uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    created_at                   timestamptz NOT NULL DEFAULT now(),
    host_id                      uuid NOT NULL REFERENCES hosts (id),
    sampled_at                   timestamptz NOT NULL,
    received_at                  timestamptz NOT NULL,
    cpu_percent                  double precision,
    cpu_time_millis              bigint NOT NULL,
    vcpus                        integer NOT NULL,
    resident_bytes               bigint NOT NULL,
    memory_bytes                 bigint NOT NULL,
    guest_memory_total_bytes     bigint,
    guest_memory_available_bytes bigint,
    disk_read_bytes              bigint NOT NULL,
    disk_written_bytes           bigint NOT NULL,
    disk_read_operations         bigint NOT NULL,
    disk_write_operations        bigint NOT NULL,
    network_received_bytes       bigint,
    network_transmitted_bytes    bigint,
    synthetic                    boolean NOT NULL
);
