package io.vireo.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vireo.model.HaPolicy;

/** HA policies as the API spells them. */
public enum HaModeJson {
    @JsonProperty("restart")
    RESTART(HaPolicy.Mode.RESTART),
    @JsonProperty("restart-from-image")
    RESTART_FROM_IMAGE(HaPolicy.Mode.RESTART_FROM_IMAGE),
    @JsonProperty("none")
    NONE(HaPolicy.Mode.NONE);

    private final HaPolicy.Mode mode;

    HaModeJson(HaPolicy.Mode mode) {
        this.mode = mode;
    }

    public HaPolicy.Mode toModel() {
        return mode;
    }

    public static HaModeJson of(HaPolicy.Mode mode) {
        for (HaModeJson candidate : values()) {
            if (candidate.mode == mode) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("HA policy without a JSON name: " + mode);
    }
}
