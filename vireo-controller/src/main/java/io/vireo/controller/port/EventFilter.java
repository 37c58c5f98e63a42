package io.vireo.controller.port;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Which events to list, oldest first. {@code afterSequence} is exclusive (0 lists from the start).
 * Null fields do not filter.
 */
public record EventFilter(
        @Nullable String objectKind,
        @Nullable UUID objectId,
        @Nullable UUID projectId,
        long afterSequence,
        int limit) {
    public static final int MAX_LIMIT = 1000;

    public EventFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
        }
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence is negative");
        }
    }
}
