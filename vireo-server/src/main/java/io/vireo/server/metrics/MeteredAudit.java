package io.vireo.server.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vireo.controller.port.AuditFilter;
import io.vireo.controller.port.AuditRepository;
import io.vireo.model.ActorKind;
import io.vireo.model.AuditRecord;
import java.util.List;
import java.util.Locale;

/**
 * The audit log, counting what Vireo does by itself as it records it (ADR 16): placements, migrations ended, hosts
 * marked down and, as they come, HA restarts. Every automatic action writes one record, so its action name (a fixed
 * set of {@code system.*} names) and outcome are the counter's labels. Thread-safe as the log it wraps.
 */
public final class MeteredAudit implements AuditRepository {
    private final AuditRepository audit;
    private final MeterRegistry registry;

    public MeteredAudit(AuditRepository audit, MeterRegistry registry) {
        this.audit = requireNonNull(audit, "audit is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public AuditRecord append(AuditRecord record) {
        AuditRecord appended = audit.append(record);
        if (record.actor().kind() == ActorKind.SYSTEM && record.action().startsWith("system.")) {
            Counter.builder("vireo.automatic.actions")
                    .description("What Vireo did by itself (placement, migrations, host monitor, HA), by action")
                    .tags(
                            "action",
                            record.action(),
                            "outcome",
                            record.outcome().name().toLowerCase(Locale.ROOT))
                    .register(registry)
                    .increment();
        }
        return appended;
    }

    @Override
    public List<AuditRecord> list(AuditFilter filter) {
        return audit.list(filter);
    }
}
