package io.vireo.cli.client;

import org.jspecify.annotations.Nullable;

/**
 * Which events to list.
 *
 * @param kind the object kind ({@code vm}, {@code host}, ...), or null for all
 * @param object an object name or id, or null for all
 * @param limit the most events to return
 */
public record EventQuery(@Nullable String kind, @Nullable String object, int limit) {
    public EventQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }
}
