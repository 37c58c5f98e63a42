package io.vireo.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vireo.model.ServerGroupPolicy;

/** Server group policies as the API spells them. */
public enum ServerGroupPolicyJson {
    @JsonProperty("affinity")
    AFFINITY(ServerGroupPolicy.AFFINITY),
    @JsonProperty("anti-affinity")
    ANTI_AFFINITY(ServerGroupPolicy.ANTI_AFFINITY),
    @JsonProperty("soft-affinity")
    SOFT_AFFINITY(ServerGroupPolicy.SOFT_AFFINITY),
    @JsonProperty("soft-anti-affinity")
    SOFT_ANTI_AFFINITY(ServerGroupPolicy.SOFT_ANTI_AFFINITY);

    private final ServerGroupPolicy policy;

    ServerGroupPolicyJson(ServerGroupPolicy policy) {
        this.policy = policy;
    }

    public ServerGroupPolicy toModel() {
        return policy;
    }

    public static ServerGroupPolicyJson of(ServerGroupPolicy policy) {
        for (ServerGroupPolicyJson candidate : values()) {
            if (candidate.policy == policy) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("server group policy without a JSON name: " + policy);
    }
}
