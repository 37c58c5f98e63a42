package io.vireo.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vireo.model.Role;

/** Roles as the API spells them. */
public enum RoleJson {
    @JsonProperty("admin")
    ADMIN(Role.ADMIN),
    @JsonProperty("project-admin")
    PROJECT_ADMIN(Role.PROJECT_ADMIN),
    @JsonProperty("member")
    MEMBER(Role.MEMBER),
    @JsonProperty("reader")
    READER(Role.READER);

    private final Role role;

    RoleJson(Role role) {
        this.role = role;
    }

    public Role toModel() {
        return role;
    }

    public static RoleJson of(Role role) {
        for (RoleJson candidate : values()) {
            if (candidate.role == role) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("role without a JSON name: " + role);
    }
}
