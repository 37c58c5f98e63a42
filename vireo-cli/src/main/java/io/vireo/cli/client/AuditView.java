package io.vireo.cli.client;

import org.jspecify.annotations.Nullable;

/** One record of the audit log, as {@code GET /audit} sends it. */
public record AuditView(
        @Nullable Long id,
        @Nullable String createdAt,
        @Nullable String actorKind,
        @Nullable String actorId,
        @Nullable String actor,
        @Nullable String project,
        @Nullable String action,
        @Nullable String targetType,
        @Nullable String targetId,
        @Nullable String targetName,
        @Nullable String outcome,
        @Nullable Integer httpStatus,
        @Nullable String errorCode,
        @Nullable String correlationId,
        @Nullable String sourceAddress,
        @Nullable String detail) {}
