package io.vireo.cli.client;

import org.jspecify.annotations.Nullable;

/** One entry of the event log, in the order of {@code sequence}. */
public record EventView(
        @Nullable Long sequence,
        @Nullable String createdAt,
        @Nullable String objectKind,
        @Nullable String objectId,
        @Nullable String objectName,
        @Nullable String type,
        @Nullable String message,
        @Nullable String correlationId) {}
