package io.vireo.api.json;

import io.vireo.model.CapacityPolicy;

@Doc("Allocation ratios (overcommit factors) per resource class: claims may use floor((total - reserved) * ratio).")
public record AllocationRatiosJson(
        @Doc("Of virtual CPUs; a number in (0, 1000].") double vcpu,
        @Doc("Of memory; a number in (0, 1000].") double memory,
        @Doc("Of disk; a number in (0, 1000].") double disk) {
    public static AllocationRatiosJson of(CapacityPolicy policy) {
        return new AllocationRatiosJson(policy.vcpuRatio(), policy.memoryRatio(), policy.diskRatio());
    }
}
