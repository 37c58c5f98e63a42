package io.vireo.server.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.EventRepository;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Event;
import java.util.List;
import java.util.Map;

/**
 * The event log, counting the events that mark a live migration's start and end as it appends them: the controller
 * writes each of these once, when it happens, so the counters need no hook in the controller. A counter counts what
 * this replica appended; Prometheus sums the replicas. Thread-safe as the log it wraps.
 */
public final class MeteredEvents implements EventRepository {
    private final EventRepository events;
    private final Map<String, Counter> counters;

    public MeteredEvents(EventRepository events, MeterRegistry registry) {
        this.events = requireNonNull(events, "events is null");
        this.counters = Map.of(
                "MigrationRequested",
                counter(registry, "vireo.migrations.started", "Live migrations started"),
                "Migrated",
                counter(
                        registry,
                        "vireo.migrations.completed",
                        "Live migrations completed: the VM runs on its new host"),
                "MigrationFailed",
                counter(registry, "vireo.migrations.failed", "Live migrations failed: the VM stayed where it was"));
    }

    /** {@code store} with its event log counted into {@code registry}. */
    public static Repositories wrap(Repositories store, MeterRegistry registry) {
        return new Repositories(
                store.hosts(),
                store.vms(),
                store.claims(),
                new MeteredEvents(store.events(), registry),
                store.flavors(),
                store.images(),
                store.serverGroups(),
                store.vmStats(),
                store.volumes(),
                new MeteredAudit(store.audit(), registry));
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    @Override
    public Event append(Event event) {
        Event appended = events.append(event);
        Counter counter = counters.get(event.type());
        if (counter != null && event.objectKind().equals("vm")) {
            counter.increment();
        }
        return appended;
    }

    @Override
    public List<Event> list(EventFilter filter) {
        return events.list(filter);
    }
}
