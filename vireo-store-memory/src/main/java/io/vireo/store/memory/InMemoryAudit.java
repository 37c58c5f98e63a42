package io.vireo.store.memory;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.AuditFilter;
import io.vireo.controller.port.AuditRepository;
import io.vireo.model.AuditRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log in memory: an append gets the next id, and nothing changes or removes a record. Thread-safe: every call
 * holds this log's own lock (the audit log shares no transaction with the other ports).
 */
final class InMemoryAudit implements AuditRepository {
    private final Object lock = new Object();
    private final List<AuditRecord> records = new ArrayList<>();

    @Override
    public AuditRecord append(AuditRecord record) {
        requireNonNull(record, "record is null");
        synchronized (lock) {
            AuditRecord stored = record.withId(records.size() + 1L);
            records.add(stored);
            return stored;
        }
    }

    @Override
    public List<AuditRecord> list(AuditFilter filter) {
        synchronized (lock) {
            List<AuditRecord> found = new ArrayList<>();
            for (int i = records.size() - 1; i >= 0 && found.size() < filter.limit(); i--) {
                AuditRecord record = records.get(i);
                if (filter.matches(record)) {
                    found.add(record);
                }
            }
            return found;
        }
    }
}
