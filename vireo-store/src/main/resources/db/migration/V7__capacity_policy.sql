-- Overcommit: each host has an amount reserved for itself and an allocation ratio per resource class, and claims may
-- add up to its effective capacity, floor((total - reserved) * ratio), the reservation capped at the total. The one
-- SQL definition is vireo_effective_capacity, the same arithmetic as Java's CapacityPolicy.effective (IEEE doubles,
-- multiplied then floored; the cap near 2^63 stands for Java's saturation and is never reached by real hosts).
-- Existing hosts get ratio 1 and nothing reserved, so their effective capacity is their capacity and every existing
-- allocation stays valid; they take the server's defaults at their next registration, if their allocation fits them.

CREATE FUNCTION vireo_effective_capacity(total bigint, reserved bigint, ratio double precision) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT LEAST(floor(GREATEST(total - reserved, 0)::double precision * ratio),
                       9223372036854774784::double precision)::bigint $$;

ALTER TABLE hosts
    ADD COLUMN reserved_vcpus             integer NOT NULL DEFAULT 0 CHECK (reserved_vcpus >= 0),
    ADD COLUMN reserved_memory_mib        bigint NOT NULL DEFAULT 0 CHECK (reserved_memory_mib >= 0),
    ADD COLUMN reserved_disk_gib          bigint NOT NULL DEFAULT 0 CHECK (reserved_disk_gib >= 0),
    ADD COLUMN vcpu_allocation_ratio      double precision NOT NULL DEFAULT 1
        CHECK (vcpu_allocation_ratio > 0 AND vcpu_allocation_ratio <= 1000),
    ADD COLUMN memory_allocation_ratio    double precision NOT NULL DEFAULT 1
        CHECK (memory_allocation_ratio > 0 AND memory_allocation_ratio <= 1000),
    ADD COLUMN disk_allocation_ratio      double precision NOT NULL DEFAULT 1
        CHECK (disk_allocation_ratio > 0 AND disk_allocation_ratio <= 1000),
    -- true once an operator set this host's policy; registrations then keep it instead of applying the defaults
    ADD COLUMN capacity_policy_overridden boolean NOT NULL DEFAULT false;

ALTER TABLE hosts
    ADD COLUMN effective_vcpus      bigint GENERATED ALWAYS AS
        (vireo_effective_capacity(capacity_vcpus, reserved_vcpus, vcpu_allocation_ratio)) STORED,
    ADD COLUMN effective_memory_mib bigint GENERATED ALWAYS AS
        (vireo_effective_capacity(capacity_memory_mib, reserved_memory_mib, memory_allocation_ratio)) STORED,
    ADD COLUMN effective_disk_gib   bigint GENERATED ALWAYS AS
        (vireo_effective_capacity(capacity_disk_gib, reserved_disk_gib, disk_allocation_ratio)) STORED;

-- A host's allocation never exceeds its effective capacity: a bug in the claim path fails loudly.
ALTER TABLE hosts
    DROP CONSTRAINT hosts_vcpus_fit,
    DROP CONSTRAINT hosts_memory_fit,
    DROP CONSTRAINT hosts_disk_fit,
    ADD CONSTRAINT hosts_vcpus_fit CHECK (allocated_vcpus <= effective_vcpus),
    ADD CONSTRAINT hosts_memory_fit CHECK (allocated_memory_mib <= effective_memory_mib),
    ADD CONSTRAINT hosts_disk_fit CHECK (allocated_disk_gib <= effective_disk_gib);
