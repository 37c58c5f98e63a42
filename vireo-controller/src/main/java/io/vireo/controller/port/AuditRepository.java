package io.vireo.controller.port;

import io.vireo.model.AuditRecord;
import java.util.List;

/**
 * The audit log: append-only. No method changes or removes a record, and the PostgreSQL table refuses UPDATE, DELETE
 * and TRUNCATE with a trigger, whoever sends them.
 */
public interface AuditRepository {
    /** Appends a record; returns it with its id, which is above every id given before. */
    AuditRecord append(AuditRecord record);

    /** The records that match, newest first (by descending id), at most {@link AuditFilter#limit()}. */
    List<AuditRecord> list(AuditFilter filter);
}
