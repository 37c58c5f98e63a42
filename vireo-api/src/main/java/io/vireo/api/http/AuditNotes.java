package io.vireo.api.http;

import io.vireo.controller.Principal;
import io.vireo.controller.RequestContext;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What one call has learned about itself for its audit record as it runs: the caller once authenticated (and the
 * project it acts in), and what only a handler knows (who a login turned out to be, which user it named). Confined to
 * the request's thread.
 */
final class AuditNotes {
    private @Nullable RequestContext caller;
    private boolean agent;
    private @Nullable Principal actor;
    private @Nullable String targetName;
    private @Nullable UUID targetId;
    private boolean targetNoted;

    void caller(RequestContext context) {
        this.caller = context;
    }

    @Nullable
    RequestContext caller() {
        return caller;
    }

    void agent() {
        this.agent = true;
    }

    boolean isAgent() {
        return agent;
    }

    /** The principal a public call turned out to act for (a login's user). */
    void actor(Principal principal) {
        this.actor = principal;
    }

    @Nullable
    Principal actor() {
        return actor;
    }

    /** The user object a call acts on when its path does not name it. */
    void target(@Nullable UUID id, @Nullable String name) {
        this.targetId = id;
        this.targetName = name;
        this.targetNoted = true;
    }

    boolean targetNoted() {
        return targetNoted;
    }

    @Nullable
    UUID targetId() {
        return targetId;
    }

    @Nullable
    String targetName() {
        return targetName;
    }
}
