-- What each host's agent reports keeping for the host itself (vireo agent --reserved-vcpus, --reserved-memory-mib,
-- --reserved-disk-gib; Register fields 9-11), recorded at each registration; NULL where the agent reports nothing.
-- Precedence of the reservation in force, per class (ADR 10): an operator's policy (capacity_policy_overridden), then
-- the agent's report, then the server's default. The reservation in force stays in reserved_* (V7), so the effective
-- capacity keeps its one definition, vireo_effective_capacity, and its generated columns.

ALTER TABLE hosts
    ADD COLUMN agent_reserved_vcpus      integer CHECK (agent_reserved_vcpus >= 0),
    ADD COLUMN agent_reserved_memory_mib bigint CHECK (agent_reserved_memory_mib >= 0),
    ADD COLUMN agent_reserved_disk_gib   bigint CHECK (agent_reserved_disk_gib >= 0);

-- An agent's own reservation may leave less than is already allocated: the registration is not refused, and claims
-- (allocated + demand <= effective) find no room on the host until VMs leave. Only there may the allocation exceed the
-- effective capacity, and never the class's capacity without the reservation. Everywhere else, as in V7.
ALTER TABLE hosts
    DROP CONSTRAINT hosts_vcpus_fit,
    DROP CONSTRAINT hosts_memory_fit,
    DROP CONSTRAINT hosts_disk_fit,
    ADD CONSTRAINT hosts_vcpus_fit CHECK (allocated_vcpus <= effective_vcpus
        OR (NOT capacity_policy_overridden AND agent_reserved_vcpus IS NOT NULL
            AND allocated_vcpus <= vireo_effective_capacity(capacity_vcpus, 0, vcpu_allocation_ratio))),
    ADD CONSTRAINT hosts_memory_fit CHECK (allocated_memory_mib <= effective_memory_mib
        OR (NOT capacity_policy_overridden AND agent_reserved_memory_mib IS NOT NULL
            AND allocated_memory_mib <= vireo_effective_capacity(capacity_memory_mib, 0, memory_allocation_ratio))),
    ADD CONSTRAINT hosts_disk_fit CHECK (allocated_disk_gib <= effective_disk_gib
        OR (NOT capacity_policy_overridden AND agent_reserved_disk_gib IS NOT NULL
            AND allocated_disk_gib <= vireo_effective_capacity(capacity_disk_gib, 0, disk_allocation_ratio)));
