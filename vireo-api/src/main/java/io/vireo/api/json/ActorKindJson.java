package io.vireo.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vireo.model.ActorKind;

/** The kinds of actor of the audit log, as the API spells them. */
public enum ActorKindJson {
    @JsonProperty("user")
    USER(ActorKind.USER),
    @JsonProperty("service-account")
    SERVICE_ACCOUNT(ActorKind.SERVICE_ACCOUNT),
    @JsonProperty("admin-token")
    ADMIN_TOKEN(ActorKind.ADMIN_TOKEN),
    @JsonProperty("host")
    HOST(ActorKind.HOST),
    @JsonProperty("system")
    SYSTEM(ActorKind.SYSTEM),
    @JsonProperty("anonymous")
    ANONYMOUS(ActorKind.ANONYMOUS);

    private final ActorKind kind;

    ActorKindJson(ActorKind kind) {
        this.kind = kind;
    }

    public static ActorKindJson of(ActorKind kind) {
        for (ActorKindJson candidate : values()) {
            if (candidate.kind == kind) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("actor kind without a JSON name: " + kind);
    }
}
