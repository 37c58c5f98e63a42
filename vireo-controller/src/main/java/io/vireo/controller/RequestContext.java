package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who asks, in which project and with which role, and the correlation id that follows the work through events and
 * logs. Quotas charge {@link #projectId()}; the audit log records {@link #principal()}.
 */
public record RequestContext(Principal principal, @Nullable String correlationId) {
    public RequestContext {
        requireNonNull(principal, "principal is null");
    }

    /** Vireo itself acting in {@code projectId} (seeding defaults; tests of the services). */
    public RequestContext(UUID projectId, @Nullable String correlationId) {
        this(Principal.vireo(projectId), correlationId);
    }

    /** The project the request acts in: its objects are the only ones it sees. */
    public UUID projectId() {
        return principal.projectId();
    }

    /** The same caller with the request's correlation id. */
    public RequestContext withCorrelationId(String id) {
        return new RequestContext(principal, requireNonNull(id, "id is null"));
    }
}
