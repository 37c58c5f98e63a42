package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who asks ({@link #principal()}), in which project, and the correlation id that follows the work through events and
 * logs. The project is the principal's own, except for an admin acting in another project ({@link #inProject}), as
 * Keystone's admins scope a token to any project. Quotas charge {@link #projectId()}; the audit log records both.
 *
 * @param projectId the project the request acts in: its objects are the only ones it sees
 */
public record RequestContext(
        Principal principal, UUID projectId, @Nullable String correlationId) {
    public RequestContext {
        requireNonNull(principal, "principal is null");
        requireNonNull(projectId, "projectId is null");
        if (!principal.admin() && !projectId.equals(principal.projectId())) {
            throw new IllegalArgumentException("only admins act in another project than their own");
        }
    }

    /** The principal acting in its own project. */
    public RequestContext(Principal principal, @Nullable String correlationId) {
        this(principal, principal.projectId(), correlationId);
    }

    /** Vireo itself acting in {@code projectId} (seeding defaults; tests of the services). */
    public RequestContext(UUID projectId, @Nullable String correlationId) {
        this(Principal.vireo(projectId), correlationId);
    }

    /** The same caller with the request's correlation id. */
    public RequestContext withCorrelationId(String id) {
        return new RequestContext(principal, projectId, requireNonNull(id, "id is null"));
    }

    /** The same caller acting in {@code project}: its own, or any for an admin (PERMISSION_DENIED otherwise). */
    public RequestContext inProject(UUID project) {
        if (!principal.admin() && !project.equals(principal.projectId())) {
            throw new VireoException(ErrorCode.PERMISSION_DENIED, "only admins act in another project");
        }
        return new RequestContext(principal, project, correlationId);
    }
}
