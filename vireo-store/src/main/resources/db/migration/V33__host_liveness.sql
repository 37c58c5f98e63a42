-- Host liveness out of the hosts row. Heartbeats (time and usage) were an UPDATE of the same row that every claim
-- locks and compares: each one queued behind claims and made them queue behind it, and left a dead row version that
-- the claims' indexes had to skip. Now they are upserted, in batches, into a table of their own, whose only index is
-- the primary key and whose pages keep free room (fillfactor), so a renewal is a HOT update: no index is written, no
-- claim waits. Fault tolerance builds host leases on this table.
CREATE TABLE host_liveness (
    host_id               uuid PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
    last_heartbeat_at     timestamptz NOT NULL,
    usage_cpu_percent     double precision NOT NULL DEFAULT 0,
    usage_memory_used_mib bigint NOT NULL DEFAULT 0,
    usage_disk_used_gib   bigint NOT NULL DEFAULT 0,
    usage_running_vms     integer NOT NULL DEFAULT 0
) WITH (fillfactor = 50);

INSERT INTO host_liveness (host_id, last_heartbeat_at, usage_cpu_percent, usage_memory_used_mib, usage_disk_used_gib,
                           usage_running_vms)
SELECT id, last_heartbeat_at, usage_cpu_percent, usage_memory_used_mib, usage_disk_used_gib, usage_running_vms
FROM hosts WHERE last_heartbeat_at IS NOT NULL;

ALTER TABLE hosts DROP COLUMN last_heartbeat_at, DROP COLUMN usage_cpu_percent, DROP COLUMN usage_memory_used_mib,
    DROP COLUMN usage_disk_used_gib, DROP COLUMN usage_running_vms;
