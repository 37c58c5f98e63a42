-- Host leases and HA restarts. A host whose fence guard renews a lease can be declared SUSPECT (renewals missed) and
-- FENCED (its guard has ended its instances, or an operator confirmed the host is off); the VMs of a FENCED host are
-- restarted elsewhere according to their HA policy, highest priority first.
ALTER TABLE hosts DROP CONSTRAINT IF EXISTS hosts_state_check;
ALTER TABLE hosts ADD CONSTRAINT hosts_state_check
    CHECK (state IN ('UP', 'DOWN', 'MAINTENANCE', 'SUSPECT', 'FENCED'));

-- The last lease renewal of the host's fence guard, committed; null while the host has no guard.
ALTER TABLE host_liveness ADD COLUMN lease_renewed_at timestamptz;
ALTER TABLE host_liveness ALTER COLUMN last_heartbeat_at DROP NOT NULL;

ALTER TABLE vms ADD COLUMN ha_policy text NOT NULL DEFAULT 'RESTART'
    CHECK (ha_policy IN ('RESTART', 'RESTART_FROM_IMAGE', 'NONE'));
ALTER TABLE vms ADD COLUMN ha_priority integer NOT NULL DEFAULT 0 CHECK (ha_priority BETWEEN 0 AND 1000);

DROP INDEX vms_pending;
CREATE INDEX vms_pending ON vms (ha_priority DESC, created_at, id) WHERE state = 'PENDING';
