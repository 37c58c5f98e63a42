package io.vireo.api.json;

import io.vireo.model.Host;
import io.vireo.model.HostState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("A hypervisor host, as registered by its agent.")
public record HostJson(
        UUID id,
        String name,

        @Doc("UP accepts new VMs; DOWN: its agent is silent (its VMs may run); MAINTENANCE: out of placement;"
                + " SUSPECT: its fence guard stopped renewing its lease; FENCED: declared dead, its VMs restarted"
                + " elsewhere by their HA policy.")
        HostState state,

        @Doc("The hypervisor driver of the host's agent.") String driver,
        @Doc("Traits the host offers to placement.") List<String> capabilities,

        @Doc("What the agent reported the host has (the total).")
        ResourcesJson capacity,

        @Doc("The sum of the claims of the VMs placed on the host.")
        ResourcesJson allocated,

        HostUsageJson usage,

        @Doc("When the agent last reported; null before its first heartbeat.") @Nullable
        Instant lastHeartbeatAt,

        Instant createdAt,

        @Doc("Increases on every claim or release of the host's resources.")
        long resourceGeneration,

        CapacityPolicyJson capacityPolicy,

        @Doc("What claims may add up to: floor((capacity - reserved) * allocation ratio) per class.")
        ResourcesJson effectiveCapacity,

        AgentReservationJson agentReserved,

        @Doc("Why the host takes no VM although it may look free, or null: more is allocated than its effective"
                + " capacity, because its agent's reservation leaves less than the VMs placed there hold.")
        @Nullable
        String capacityNote) {
    public HostJson {
        capabilities = List.copyOf(capabilities);
    }

    public static HostJson of(Host host) {
        return new HostJson(
                host.id(),
                host.name(),
                host.state(),
                host.driver(),
                host.capabilities(),
                ResourcesJson.of(host.capacity()),
                ResourcesJson.of(host.allocated()),
                HostUsageJson.of(host.usage()),
                host.lastHeartbeatAt(),
                host.createdAt(),
                host.resourceGeneration(),
                CapacityPolicyJson.of(host),
                ResourcesJson.of(host.effectiveCapacity()),
                AgentReservationJson.of(host.agentReservation()),
                host.overAllocation().map(HostJson::note).orElse(null));
    }

    private static String note(String excess) {
        return "more is allocated than the effective capacity (" + excess + "): the reservation the host's agent"
                + " reports leaves less than its VMs hold; no VM is placed here until enough of them leave";
    }
}
