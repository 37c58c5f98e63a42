package io.vireo.controller.port;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.model.ProjectQuota;
import io.vireo.model.QuotaResource;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Projects' quotas (ADR 17). The store charges them itself, in the transaction of every write that creates a VM or a
 * volume (refusing it with {@link ErrorCode#QUOTA_EXCEEDED}, having written nothing, if it would take the project past
 * a limit) and releases them in the one that makes a VM DELETED or deletes a volume, whatever code path does it. A
 * project's usage is one row, locked by each charge, so concurrent creates at the limit never overshoot; a write
 * charges one project only, so no two charges wait for each other's rows.
 */
public interface QuotaRepository {
    /** The project's quota; unlimited and unused for a project the store has no quota for. */
    ProjectQuota find(UUID projectId);

    /**
     * Sets (a value) or removes (empty: unlimited) the limits named in {@code changes}, leaving the others, and returns
     * the quota after. A limit below what is used is accepted: it refuses new charges, it takes nothing away.
     */
    ProjectQuota setLimits(UUID projectId, Map<QuotaResource, OptionalLong> changes);

    /** The error a charge past a limit gets. */
    static VireoException exceeded(QuotaResource resource, long limit, long used, long requested) {
        return new VireoException(
                ErrorCode.QUOTA_EXCEEDED,
                "quota exceeded for " + resource.key() + ": " + used + " used + " + requested + " requested > limit "
                        + limit,
                Map.of("resource", resource.key(), "limit", limit, "used", used, "requested", requested));
    }
}
