package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.AuditFilter;
import io.vireo.controller.port.AuditRepository;
import io.vireo.model.AuditRecord;
import io.vireo.model.Role;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the audit log (ADR 16) and reads it for callers allowed to. Recording is synchronous, in the caller's thread,
 * after the action has ended, and never fails the action: a record the store could not take is logged at ERROR with
 * what it would have said (which holds no secret) and the action's answer stands.
 *
 * <p>Who reads what: an admin reads every record; a project admin reads the records of their project (calls made in it
 * and automatic actions on its objects); no one else reads the log.
 *
 * <p>Thread-safe: stateless apart from the repository.
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final AuditRepository records;
    private final Clock clock;

    public AuditLog(AuditRepository records, Clock clock) {
        this.records = requireNonNull(records, "records is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Records an entry at the clock's time. Never throws: a failure is logged at ERROR. */
    public void record(AuditRecord.Builder entry) {
        AuditRecord built;
        try {
            built = entry.build(clock.instant());
        } catch (RuntimeException e) {
            log.error("could not make an audit record", e);
            return;
        }
        try {
            AuditRecord stored = records.append(built);
            log.debug("audit {}: {}", stored.id(), summary(stored));
        } catch (RuntimeException e) {
            log.error("could not write the audit record: {}", summary(built), e);
        }
    }

    /** Records an action Vireo took by itself, as {@code component} ({@code placement}, {@code migration}, ...). */
    public void system(
            String component,
            String action,
            AuditRecord.Outcome outcome,
            @Nullable UUID projectId,
            AuditRecord.Target target,
            String detail,
            @Nullable String correlationId) {
        record(AuditRecord.builder(AuditRecord.Actor.system(component), action, outcome)
                .project(projectId)
                .target(target)
                .detail(detail)
                .correlationId(correlationId));
    }

    /**
     * The records matching {@code filter} that {@code caller} may read, newest first: an admin's are all; a project
     * admin's are their project's (a filter naming another project finds nothing); anyone else is refused.
     */
    public List<AuditRecord> list(RequestContext caller, AuditFilter filter) {
        Principal principal = caller.principal();
        if (principal.admin()) {
            return records.list(filter);
        }
        if (principal.role() != Role.PROJECT_ADMIN) {
            throw new VireoException(
                    ErrorCode.PERMISSION_DENIED,
                    "only admins and project admins read the audit log",
                    Map.of("role", principal.role().wireName()));
        }
        UUID own = caller.projectId();
        UUID asked = filter.projectId();
        if (asked != null && !asked.equals(own)) {
            return List.of();
        }
        return records.list(filter.inProject(own));
    }

    /** A one-line account of a record for the server log: its fields, which never hold a secret. */
    static String summary(AuditRecord record) {
        AuditRecord.Target target = record.target();
        return record.actor().kind().wireName() + " " + record.actor().name()
                + (record.actor().id() == null ? "" : " (" + record.actor().id() + ")")
                + " " + record.action()
                + (target.type() == null ? "" : " " + target.type() + targetText(target))
                + " -> " + record.outcome().wireName()
                + (record.httpStatus() == null ? "" : " " + record.httpStatus())
                + (record.errorCode() == null ? "" : " " + record.errorCode())
                + (record.projectId() == null ? "" : " project " + record.projectId())
                + (record.sourceAddress() == null ? "" : " from " + record.sourceAddress())
                + (record.correlationId() == null ? "" : " [" + record.correlationId() + "]")
                + (record.detail().isEmpty() ? "" : ": " + record.detail());
    }

    private static String targetText(AuditRecord.Target target) {
        String name = target.name();
        UUID id = target.id();
        if (name != null && id != null) {
            return " " + name + " (" + id + ")";
        }
        return name != null ? " " + name : id != null ? " " + id : "";
    }
}
