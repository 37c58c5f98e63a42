package io.vireo.controller.port;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Which events to list, oldest first. {@code afterSequence} is exclusive (0 lists from the start).
 * Null fields do not filter.
 *
 * @param correlationId only the events of the work this id names (an API call, an operator's drain…)
 */
public record EventFilter(
        @Nullable String objectKind,
        @Nullable UUID objectId,
        @Nullable UUID projectId,
        long afterSequence,
        int limit,
        @Nullable String correlationId) {
    public static final int MAX_LIMIT = 1000;

    /** Events of any correlation id. */
    public EventFilter(
            @Nullable String objectKind,
            @Nullable UUID objectId,
            @Nullable UUID projectId,
            long afterSequence,
            int limit) {
        this(objectKind, objectId, projectId, afterSequence, limit, null);
    }

    public EventFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
        }
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence is negative");
        }
    }
}
