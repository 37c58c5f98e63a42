package io.vireo.cli.client;

import org.jspecify.annotations.Nullable;

/**
 * Which events to list.
 *
 * @param kind the object kind ({@code vm}, {@code host}, ...), or null for all
 * @param object an object name or id, or null for all
 * @param after list the events after this sequence number (oldest first), or null for the latest {@code limit}
 * @param limit the most events to return
 */
public record EventQuery(
        @Nullable String kind,
        @Nullable String object,
        @Nullable Long after,
        int limit,
        @Nullable String correlationId) {
    public EventQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        if (after != null && after < 0) {
            throw new IllegalArgumentException("after must not be negative");
        }
    }
}
