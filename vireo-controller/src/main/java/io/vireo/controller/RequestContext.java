package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Who asks, in which project, and the correlation id that follows the work through events and logs. */
public record RequestContext(UUID projectId, @Nullable String correlationId) {
    public RequestContext {
        requireNonNull(projectId, "projectId is null");
    }
}
