-- Networks, subnets, ports and IP address management (ADR 23).
--
-- Every uniqueness rule is a constraint, the final guard whatever the code does: a network's name in its project and
-- its VNI in the cloud, a subnet's name in its project, a port's name in its project and its MAC on its network, and
-- an address in its subnet (ip_allocations' primary key). No foreign key to projects, as for VMs and volumes (V1).

-- VNIs come from a sequence: unique without a scan; the unique constraint catches a wrapped sequence.
CREATE SEQUENCE network_vni AS integer MINVALUE 1 MAXVALUE 16777215 CYCLE;

CREATE TABLE networks (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL,
    name       text NOT NULL,
    created_at timestamptz NOT NULL,
    vni        integer NOT NULL UNIQUE DEFAULT nextval('network_vni') CHECK (vni BETWEEN 1 AND 16777215),
    mtu        integer NOT NULL CHECK (mtu BETWEEN 576 AND 8950),
    external   boolean NOT NULL,
    UNIQUE (project_id, name)
);

-- A subnet's CIDRs are checked against its network's other subnets with the network's row locked (no two subnets
-- of one network are created at once). Pools and DNS servers are read with the subnet, never searched.
CREATE TABLE subnets (
    id          uuid PRIMARY KEY,
    project_id  uuid NOT NULL,
    network_id  uuid NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL,
    cidr        cidr NOT NULL CHECK (family(cidr) = 4),
    ipv6_cidr   cidr CHECK (family(ipv6_cidr) = 6),
    gateway     text,
    dns_servers text[] NOT NULL,
    pools       text[] NOT NULL,
    -- where the next automatic allocation starts looking (next fit): one past the last address it gave
    next_address bigint NOT NULL DEFAULT 0,
    UNIQUE (project_id, name)
);
CREATE INDEX subnets_network ON subnets (network_id, created_at);

-- A network with ports cannot be deleted (RESTRICT); deleting it removes its subnets.
CREATE TABLE ports (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL,
    network_id uuid NOT NULL REFERENCES networks (id) ON DELETE RESTRICT,
    name       text,
    created_at timestamptz NOT NULL,
    mac        bigint NOT NULL,
    vm_id      uuid,
    UNIQUE (network_id, mac)
);
CREATE UNIQUE INDEX ports_name ON ports (project_id, name) WHERE name IS NOT NULL;
CREATE INDEX ports_project ON ports (project_id, created_at, id);

-- One row per address of a subnet that a port has or had: port_id while it is allocated; NULL and released_at once
-- released, so the address is held back for a while before automatic allocation takes it again. The primary key is
-- the guard against an address given twice. Addresses are IPv4 values (0 to 2^32 - 1).
CREATE TABLE ip_allocations (
    subnet_id   uuid NOT NULL REFERENCES subnets (id) ON DELETE CASCADE,
    address     bigint NOT NULL CHECK (address BETWEEN 0 AND 4294967295),
    port_id     uuid REFERENCES ports (id) ON DELETE RESTRICT,
    released_at timestamptz,
    PRIMARY KEY (subnet_id, address),
    CHECK ((port_id IS NULL) <> (released_at IS NULL))
);
CREATE INDEX ip_allocations_port ON ip_allocations (port_id) WHERE port_id IS NOT NULL;
