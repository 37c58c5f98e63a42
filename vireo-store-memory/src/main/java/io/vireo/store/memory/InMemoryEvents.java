package io.vireo.store.memory;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.EventRepository;
import io.vireo.model.Event;
import java.util.List;

/**
 * The event log in memory: an append gets the next sequence, so the log is gap-free and in append order. Thread-safe:
 * every call holds the state's lock.
 */
final class InMemoryEvents implements EventRepository {
    private final MemoryState memory;

    InMemoryEvents(MemoryState memory) {
        this.memory = requireNonNull(memory, "memory is null");
    }

    @Override
    public Event append(Event event) {
        synchronized (memory.lock) {
            Event stored = new Event(
                    memory.events.size() + 1L,
                    event.createdAt(),
                    event.objectKind(),
                    event.objectId(),
                    event.objectName(),
                    event.type(),
                    event.message(),
                    event.projectId(),
                    event.correlationId());
            memory.events.add(stored);
            return stored;
        }
    }

    @Override
    public List<Event> list(EventFilter filter) {
        synchronized (memory.lock) {
            return memory.events.stream()
                    .filter(e -> e.sequence() > filter.afterSequence())
                    .filter(e -> filter.objectKind() == null || e.objectKind().equals(filter.objectKind()))
                    .filter(e -> filter.objectId() == null || e.objectId().equals(filter.objectId()))
                    .filter(e ->
                            filter.projectId() == null || filter.projectId().equals(e.projectId()))
                    .filter(e -> filter.correlationId() == null
                            || filter.correlationId().equals(e.correlationId()))
                    .limit(filter.limit())
                    .toList();
        }
    }
}
