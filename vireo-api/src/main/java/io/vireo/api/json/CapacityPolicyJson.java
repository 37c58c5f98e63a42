package io.vireo.api.json;

import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;

@Doc("What a host keeps for itself and how far its resources are overcommitted.")
public record CapacityPolicyJson(
        @Doc("What the host keeps for itself, taken from its capacity before the ratio applies.")
        ResourcesJson reserved,

        AllocationRatiosJson allocationRatios,

        @Doc("True if an operator set this host's policy (kept when the host registers again; DELETE"
                + " /hosts/{nameOrId}/capacity-policy drops it); false if it is the server's default, with the"
                + " reservations the host's agent reports in place of the default's.")
        boolean overridden,

        ReservedByJson reservedBy) {
    public static CapacityPolicyJson of(Host host) {
        CapacityPolicy policy = host.capacityPolicy();
        return new CapacityPolicyJson(
                ResourcesJson.of(policy.reserved()),
                AllocationRatiosJson.of(policy),
                host.capacityPolicyOverridden(),
                ReservedByJson.of(host));
    }
}
