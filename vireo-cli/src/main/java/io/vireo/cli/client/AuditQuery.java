package io.vireo.cli.client;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which audit records to list: the newest {@code limit} that match every filter given (null: no filter).
 *
 * @param actor a user's, host's or part of Vireo's name, or an id
 * @param target an object's name or id
 * @param outcome {@code ok}, {@code denied} or {@code failed}
 */
public record AuditQuery(
        @Nullable Instant since,
        @Nullable Instant until,
        @Nullable String actor,
        @Nullable String action,
        @Nullable String target,
        @Nullable String outcome,
        @Nullable String correlationId,
        int limit) {
    public AuditQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }
}
