package io.vireo.controller.port;

import io.vireo.model.VmState;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Which VMs to list. Null fields do not filter. Results are ordered by name then id; {@code cursor} is the
 * {@code nextCursor} of the previous page. Deleted VMs are listed only when {@code state} asks for them.
 */
public record VmFilter(
        @Nullable UUID projectId,
        @Nullable VmState state,
        @Nullable UUID hostId,
        int limit,
        @Nullable String cursor) {
    public static final int MAX_LIMIT = 1000;

    public VmFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
        }
    }
}
