-- Drains that stand: an operator asked to empty the host (live migration of its running VMs, a few at a time). A row
-- of its own, so that a drain survives a server restart and is seen by every replica, and goes with its host.
CREATE TABLE host_drains (
    host_id        uuid PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
    correlation_id text NOT NULL,
    requested_at   timestamptz NOT NULL
);
