package io.vireo.api.json;

import io.vireo.model.CapacityPolicy;

@Doc("What a host keeps for itself and how far its resources are overcommitted.")
public record CapacityPolicyJson(
        @Doc("What the host keeps for itself, taken from its capacity before the ratio applies.")
        ResourcesJson reserved,

        AllocationRatiosJson allocationRatios,

        @Doc("True if an operator set this host's policy (kept when the host registers again); false if it is the"
                + " server's default.")
        boolean overridden) {
    public static CapacityPolicyJson of(CapacityPolicy policy, boolean overridden) {
        return new CapacityPolicyJson(ResourcesJson.of(policy.reserved()), AllocationRatiosJson.of(policy), overridden);
    }
}
