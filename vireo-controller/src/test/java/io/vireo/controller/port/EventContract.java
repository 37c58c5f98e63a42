package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.Event;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract of {@link EventRepository}. */
interface EventContract extends StoreContract {

    @Test
    default void appendedEventsGetIncreasingSequencesAndAreListedOldestFirst() {
        UUID vmId = UUID.randomUUID();
        Event created =
                store().events().append(Event.of(at(1), "vm", vmId, "web", "Created", "flavor small", ADMIN, "corr-1"));
        Event scheduled =
                store().events().append(Event.of(at(2), "vm", vmId, "web", "Scheduled", "on host-a", ADMIN, null));

        assertThat(created.sequence()).isPositive();
        assertThat(scheduled.sequence()).isGreaterThan(created.sequence());
        assertThat(created)
                .usingRecursiveComparison()
                .ignoringFields("sequence")
                .isEqualTo(Event.of(at(1), "vm", vmId, "web", "Created", "flavor small", ADMIN, "corr-1"));
        assertThat(store().events().list(new EventFilter(null, null, null, 0, 10)))
                .containsExactly(created, scheduled);
    }

    @Test
    default void eventsAreFilteredByObjectProjectAndSequence() {
        UUID web = UUID.randomUUID();
        UUID host = UUID.randomUUID();
        Event e1 = store().events().append(Event.of(at(1), "vm", web, "web", "Created", "", ADMIN, null));
        Event e2 = store().events().append(Event.of(at(2), "host", host, "host-a", "Registered", "", null, null));
        Event e3 = store().events().append(Event.of(at(3), "vm", web, "web", "Scheduled", "", ADMIN, null));
        Event e4 = store().events()
                .append(Event.of(at(4), "vm", UUID.randomUUID(), "db", "Created", "", OTHER_PROJECT, null));

        assertThat(store().events().list(new EventFilter("vm", null, null, 0, 10)))
                .containsExactly(e1, e3, e4);
        assertThat(store().events().list(new EventFilter(null, web, null, 0, 10)))
                .containsExactly(e1, e3);
        assertThat(store().events().list(new EventFilter("host", host, null, 0, 10)))
                .containsExactly(e2);
        assertThat(store().events().list(new EventFilter(null, null, ADMIN, 0, 10)))
                .containsExactly(e1, e3);
        assertThat(store().events().list(new EventFilter(null, null, null, e2.sequence(), 10)))
                .containsExactly(e3, e4);
        assertThat(store().events().list(new EventFilter(null, null, null, 0, 2)))
                .containsExactly(e1, e2);
        assertThat(store().events().list(new EventFilter(null, null, null, e4.sequence(), 10)))
                .isEmpty();
    }

    @Test
    default void eventsAreFilteredByCorrelationIdAcrossObjects() {
        UUID web = UUID.randomUUID();
        UUID host = UUID.randomUUID();
        Event started =
                store().events().append(Event.of(at(1), "host", host, "host-a", "DrainStarted", "", null, "drain-1"));
        store().events().append(Event.of(at(2), "vm", web, "web", "Created", "", ADMIN, "other"));
        Event moved = store().events().append(Event.of(at(3), "vm", web, "web", "Migrated", "", ADMIN, "drain-1"));
        store().events().append(Event.of(at(4), "vm", web, "web", "Stopped", "", ADMIN, null));

        assertThat(store().events().list(new EventFilter(null, null, null, 0, 10, "drain-1")))
                .containsExactly(started, moved);
        assertThat(store().events().list(new EventFilter(null, null, ADMIN, 0, 10, "drain-1")))
                .as("and by project: a project sees its own part of the story")
                .containsExactly(moved);
    }
}
