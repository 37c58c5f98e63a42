-- Server groups and the placement constraints a VM is created with (zone, traits, group, gang).
-- The claim path enforces a group's hard rule: it locks the group row (FOR NO KEY UPDATE) in the claim's
-- transaction and counts the group's members on the target host, so concurrent claims of one group are serialised.

CREATE TABLE server_groups (
    id           uuid PRIMARY KEY,
    project_id   uuid NOT NULL,
    name         text COLLATE "C" NOT NULL,
    created_at   timestamptz NOT NULL,
    policy       text NOT NULL CHECK (policy IN ('AFFINITY', 'ANTI_AFFINITY', 'SOFT_AFFINITY', 'SOFT_ANTI_AFFINITY')),
    max_per_host integer NOT NULL CHECK (max_per_host BETWEEN 1 AND 1000),
    CONSTRAINT server_groups_project_name_unique UNIQUE (project_id, name)
);

-- A group may be deleted only without live members (checked under the group's row lock); the DELETED VMs that
-- remain forget it.
ALTER TABLE vms
    ADD COLUMN server_group_id   uuid REFERENCES server_groups (id) ON DELETE SET NULL,
    ADD COLUMN availability_zone text,
    ADD COLUMN required_traits   text[] NOT NULL DEFAULT '{}',
    ADD COLUMN forbidden_traits  text[] NOT NULL DEFAULT '{}',
    ADD COLUMN gang_id           uuid;

CREATE INDEX vms_server_group_host ON vms (server_group_id, host_id)
    WHERE server_group_id IS NOT NULL AND state <> 'DELETED';
CREATE INDEX vms_gang ON vms (gang_id) WHERE gang_id IS NOT NULL AND state = 'PENDING';
