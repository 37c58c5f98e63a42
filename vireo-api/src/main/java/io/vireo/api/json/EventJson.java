package io.vireo.api.json;

import io.vireo.model.Event;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("Something that happened to an object, with the reason.")
public record EventJson(
        @Doc("Orders all events; pass the last one seen as the cursor to read on.")
        long sequence,

        Instant createdAt,
        @Doc("The kind of object: vm or host.") String objectKind,
        UUID objectId,
        @Doc("The object's name when the event happened.") String objectName,

        @Doc("What happened, e.g. Created, Scheduled, StateChanged.")
        String type,

        String message,

        @Doc("The correlation id of the API call that caused the event, if one did.") @Nullable
        String correlationId) {
    public static EventJson of(Event event) {
        return new EventJson(
                event.sequence(),
                event.createdAt(),
                event.objectKind(),
                event.objectId(),
                event.objectName(),
                event.type(),
                event.message(),
                event.correlationId());
    }
}
