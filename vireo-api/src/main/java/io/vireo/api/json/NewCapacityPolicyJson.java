package io.vireo.api.json;

import io.vireo.common.VireoException;
import io.vireo.model.CapacityPolicy;
import io.vireo.model.Resources;

@Doc("A host's own capacity policy: reserved amounts and allocation ratios, all required.")
public record NewCapacityPolicyJson(
        @Doc("What the host keeps for itself: each amount zero or below the host's total of its class.")
        ResourcesJson reserved,

        AllocationRatiosJson allocationRatios) {
    public NewCapacityPolicyJson {
        requireNotNegative("reserved.vcpus", reserved.vcpus());
        requireNotNegative("reserved.memoryMib", reserved.memoryMib());
        requireNotNegative("reserved.diskGib", reserved.diskGib());
        requireRatio("allocationRatios.vcpu", allocationRatios.vcpu());
        requireRatio("allocationRatios.memory", allocationRatios.memory());
        requireRatio("allocationRatios.disk", allocationRatios.disk());
    }

    private static void requireNotNegative(String field, long value) {
        if (value < 0) {
            throw VireoException.invalid(field, "must not be negative");
        }
    }

    private static void requireRatio(String field, double ratio) {
        if (!(ratio > 0 && ratio <= CapacityPolicy.MAX_ALLOCATION_RATIO)) {
            throw VireoException.invalid(
                    field, "must be a number greater than 0 and at most " + CapacityPolicy.MAX_ALLOCATION_RATIO);
        }
    }

    public CapacityPolicy policy() {
        return new CapacityPolicy(
                new Resources(reserved.vcpus(), reserved.memoryMib(), reserved.diskGib()),
                allocationRatios.vcpu(),
                allocationRatios.memory(),
                allocationRatios.disk());
    }
}
