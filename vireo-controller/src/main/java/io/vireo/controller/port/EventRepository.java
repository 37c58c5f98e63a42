package io.vireo.controller.port;

import io.vireo.model.Event;
import java.util.List;

/** The append-only event log. */
public interface EventRepository {
    /** Appends an event; returns it with its assigned sequence. */
    Event append(Event event);

    List<Event> list(EventFilter filter);
}
