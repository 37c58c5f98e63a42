package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to an object, with the reason. {@code sequence} orders events totally (it is assigned by the
 * store); {@code correlationId} ties the event to the API call that caused it.
 */
public record Event(
        long sequence,
        Instant createdAt,
        String objectKind,
        UUID objectId,
        String objectName,
        String type,
        String message,
        @Nullable UUID projectId,
        @Nullable String correlationId) {
    public Event {
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(objectKind, "objectKind is null");
        requireNonNull(objectId, "objectId is null");
        requireNonNull(objectName, "objectName is null");
        requireNonNull(type, "type is null");
        requireNonNull(message, "message is null");
    }

    /** An event not yet stored: its sequence is assigned on append. */
    public static Event of(
            Instant at,
            String objectKind,
            UUID objectId,
            String objectName,
            String type,
            String message,
            @Nullable UUID projectId,
            @Nullable String correlationId) {
        return new Event(0, at, objectKind, objectId, objectName, type, message, projectId, correlationId);
    }
}
