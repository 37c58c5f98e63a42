package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

import io.vireo.model.AuditRecord;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Which audit records to list, newest first: those with an id below {@code beforeId} (keyset pagination: the id of the
 * last record of the previous page), at most {@code limit}. Every other field that is not null must match: a time in
 * {@code [since, until)}, the others equal.
 */
public record AuditFilter(
        @Nullable Instant since,
        @Nullable Instant until,
        @Nullable UUID actorId,
        @Nullable String actorName,
        @Nullable UUID projectId,
        @Nullable String action,
        @Nullable UUID targetId,
        @Nullable String targetName,
        AuditRecord.@Nullable Outcome outcome,
        @Nullable String correlationId,
        long beforeId,
        int limit) {
    public static final int MAX_LIMIT = 1000;

    public AuditFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
        }
        if (beforeId < 1) {
            throw new IllegalArgumentException("beforeId must be positive: " + beforeId);
        }
    }

    /** A filter of at most {@code limit} records, from the newest, matching everything until narrowed. */
    public static Builder builder(int limit) {
        return new Builder(limit);
    }

    /** The same filter, narrowed to the records of {@code project}. */
    public AuditFilter inProject(UUID project) {
        return new AuditFilter(
                since,
                until,
                actorId,
                actorName,
                requireNonNull(project, "project is null"),
                action,
                targetId,
                targetName,
                outcome,
                correlationId,
                beforeId,
                limit);
    }

    /** Whether {@code record} matches this filter, page bound included. */
    public boolean matches(AuditRecord record) {
        requireNonNull(record, "record is null");
        AuditRecord.Target target = record.target();
        return record.id() < beforeId
                && (since == null || !record.createdAt().isBefore(since))
                && (until == null || record.createdAt().isBefore(until))
                && (actorId == null || actorId.equals(record.actor().id()))
                && (actorName == null || actorName.equals(record.actor().name()))
                && (projectId == null || projectId.equals(record.projectId()))
                && (action == null || action.equals(record.action()))
                && (targetId == null || targetId.equals(target.id()))
                && (targetName == null || targetName.equals(target.name()))
                && (outcome == null || outcome == record.outcome())
                && (correlationId == null || correlationId.equals(record.correlationId()));
    }

    /** Builds an {@link AuditFilter}; not thread-safe. */
    public static final class Builder {
        private final int limit;
        private @Nullable Instant since;
        private @Nullable Instant until;
        private @Nullable UUID actorId;
        private @Nullable String actorName;
        private @Nullable UUID projectId;
        private @Nullable String action;
        private @Nullable UUID targetId;
        private @Nullable String targetName;
        private AuditRecord.@Nullable Outcome outcome;
        private @Nullable String correlationId;
        private long beforeId = Long.MAX_VALUE;

        private Builder(int limit) {
            this.limit = limit;
        }

        public Builder since(@Nullable Instant from) {
            this.since = from;
            return this;
        }

        public Builder until(@Nullable Instant to) {
            this.until = to;
            return this;
        }

        public Builder actorId(@Nullable UUID id) {
            this.actorId = id;
            return this;
        }

        public Builder actorName(@Nullable String name) {
            this.actorName = name;
            return this;
        }

        public Builder projectId(@Nullable UUID id) {
            this.projectId = id;
            return this;
        }

        public Builder action(@Nullable String name) {
            this.action = name;
            return this;
        }

        public Builder targetId(@Nullable UUID id) {
            this.targetId = id;
            return this;
        }

        public Builder targetName(@Nullable String name) {
            this.targetName = name;
            return this;
        }

        public Builder outcome(AuditRecord.@Nullable Outcome wanted) {
            this.outcome = wanted;
            return this;
        }

        public Builder correlationId(@Nullable String id) {
            this.correlationId = id;
            return this;
        }

        /** Only records below {@code id}: the page after the one that ended with it. */
        public Builder before(long id) {
            this.beforeId = id;
            return this;
        }

        public AuditFilter build() {
            return new AuditFilter(
                    since,
                    until,
                    actorId,
                    actorName,
                    projectId,
                    action,
                    targetId,
                    targetName,
                    outcome,
                    correlationId,
                    beforeId,
                    limit);
        }
    }
}
