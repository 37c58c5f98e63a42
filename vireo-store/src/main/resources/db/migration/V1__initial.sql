-- Vireo's initial schema. Conventions:
--  * every table has a UUID id and created_at; tenant-owned tables carry project_id from the start;
--  * names are COLLATE "C" so that ORDER BY name is plain byte order, the same order as Java's String;
--  * enumerations are text with CHECK constraints listing the Java enum constants;
--  * amounts are never negative and a host's allocation never exceeds its capacity (CHECK constraints), so a bug in
--    the claim path fails loudly instead of over-allocating.

CREATE TABLE projects (
    id         uuid PRIMARY KEY,
    name       text COLLATE "C" NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO projects (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'admin');

CREATE TABLE hosts (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                  text COLLATE "C" NOT NULL UNIQUE,
    created_at            timestamptz NOT NULL,
    state                 text NOT NULL CHECK (state IN ('UP', 'DOWN', 'MAINTENANCE')),
    capacity_vcpus        integer NOT NULL CHECK (capacity_vcpus >= 0),
    capacity_memory_mib   bigint NOT NULL CHECK (capacity_memory_mib >= 0),
    capacity_disk_gib     bigint NOT NULL CHECK (capacity_disk_gib >= 0),
    allocated_vcpus       integer NOT NULL DEFAULT 0 CHECK (allocated_vcpus >= 0),
    allocated_memory_mib  bigint NOT NULL DEFAULT 0 CHECK (allocated_memory_mib >= 0),
    allocated_disk_gib    bigint NOT NULL DEFAULT 0 CHECK (allocated_disk_gib >= 0),
    -- Bumped by every claim, release and re-registration: a claim is a conditional write on it.
    resource_generation   bigint NOT NULL DEFAULT 1 CHECK (resource_generation >= 0),
    capabilities          text[] NOT NULL DEFAULT '{}',
    driver                text NOT NULL,
    last_heartbeat_at     timestamptz,
    -- What the agent measured at its last heartbeat; reported, not enforced, hence no CHECK.
    usage_cpu_percent     double precision NOT NULL DEFAULT 0,
    usage_memory_used_mib bigint NOT NULL DEFAULT 0,
    usage_disk_used_gib   bigint NOT NULL DEFAULT 0,
    usage_running_vms     integer NOT NULL DEFAULT 0,
    CONSTRAINT hosts_vcpus_fit CHECK (allocated_vcpus <= capacity_vcpus),
    CONSTRAINT hosts_memory_fit CHECK (allocated_memory_mib <= capacity_memory_mib),
    CONSTRAINT hosts_disk_fit CHECK (allocated_disk_gib <= capacity_disk_gib)
);

CREATE TABLE flavors (
    id          uuid PRIMARY KEY,
    name        text COLLATE "C" NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    vcpus       integer NOT NULL CHECK (vcpus >= 0),
    memory_mib  bigint NOT NULL CHECK (memory_mib >= 0),
    disk_gib    bigint NOT NULL CHECK (disk_gib >= 0)
);

CREATE TABLE images (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL,
    name       text COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL,
    format     text NOT NULL CHECK (format IN ('QCOW2', 'RAW', 'KERNEL_INITRD')),
    size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
    CONSTRAINT images_project_name_unique UNIQUE (project_id, name)
);

-- project_id columns carry no foreign key yet: the controller has no port that creates projects. The key to projects
-- comes with that port, in a later migration.
-- flavor_id and image_id carry no foreign key: a VM copies its flavor's resources at creation, and the ports let a
-- flavor or image be deleted while VMs made from it live on.
CREATE TABLE vms (
    id                  uuid PRIMARY KEY,
    project_id          uuid NOT NULL,
    name                text COLLATE "C" NOT NULL,
    created_at          timestamptz NOT NULL,
    idempotency_key     text,
    flavor_id           uuid NOT NULL,
    image_id            uuid NOT NULL,
    vcpus               integer NOT NULL CHECK (vcpus >= 0),
    memory_mib          bigint NOT NULL CHECK (memory_mib >= 0),
    disk_gib            bigint NOT NULL CHECK (disk_gib >= 0),
    -- spec
    generation          bigint NOT NULL CHECK (generation >= 0),
    desired_state       text NOT NULL CHECK (desired_state IN ('RUNNING', 'STOPPED', 'DELETED')),
    reboot_count        bigint NOT NULL CHECK (reboot_count >= 0),
    -- placement: changed only by a claim
    host_id             uuid REFERENCES hosts (id),
    epoch               bigint NOT NULL CHECK (epoch >= 0),
    -- status
    state               text NOT NULL CHECK (state IN ('PENDING', 'SCHEDULED', 'STARTING', 'RUNNING', 'PAUSED',
                                                       'STOPPING', 'STOPPED', 'REBOOTING', 'DELETING', 'DELETED',
                                                       'ERROR')),
    state_reason        text,
    observed_generation bigint NOT NULL CHECK (observed_generation >= 0),
    started_at          timestamptz,
    updated_at          timestamptz NOT NULL,
    CONSTRAINT vms_project_idempotency_key_unique UNIQUE (project_id, idempotency_key)
);

-- A live VM's name is unique in its project; a DELETED VM's name may be reused.
CREATE UNIQUE INDEX vms_project_live_name_unique ON vms (project_id, name) WHERE state <> 'DELETED';
-- Listing: ordered by name then id, optionally within a project.
CREATE INDEX vms_name_id ON vms (name, id);
CREATE INDEX vms_project_name_id ON vms (project_id, name, id);
CREATE INDEX vms_host ON vms (host_id) WHERE host_id IS NOT NULL;
CREATE INDEX vms_pending ON vms (created_at, id) WHERE state = 'PENDING';

-- What each placed VM holds on its host. hosts.allocated_* is the sum of these rows, kept in the same transaction.
CREATE TABLE allocations (
    vm_id      uuid PRIMARY KEY REFERENCES vms (id),
    id         uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    host_id    uuid NOT NULL REFERENCES hosts (id),
    created_at timestamptz NOT NULL,
    vcpus      integer NOT NULL CHECK (vcpus >= 0),
    memory_mib bigint NOT NULL CHECK (memory_mib >= 0),
    disk_gib   bigint NOT NULL CHECK (disk_gib >= 0)
);

CREATE INDEX allocations_host ON allocations (host_id);

-- The append-only event log; sequence orders events totally.
CREATE TABLE events (
    sequence       bigserial PRIMARY KEY,
    id             uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    created_at     timestamptz NOT NULL,
    object_kind    text NOT NULL,
    object_id      uuid NOT NULL,
    object_name    text NOT NULL,
    type           text NOT NULL,
    message        text NOT NULL,
    project_id     uuid,
    correlation_id text
);

CREATE INDEX events_object ON events (object_id, sequence);
CREATE INDEX events_kind ON events (object_kind, sequence);
CREATE INDEX events_project ON events (project_id, sequence) WHERE project_id IS NOT NULL;
