package io.vireo.cli.client;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A host's drain as the API shows it. */
public record HostDrainView(
        boolean draining,
        @Nullable String requestedAt,
        @Nullable String correlationId,
        int vmsOnHost,
        int migrating,
        @Nullable Map<String, String> waiting) {
    public HostDrainView {
        waiting = waiting == null ? Map.of() : Map.copyOf(waiting);
    }
}
