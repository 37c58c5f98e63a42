package io.vireo.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A reader that polls the event log with the sequence of the last event it saw never skips an event, whatever order
 * the appending transactions commit in. Real PostgreSQL.
 */
class EventLogOrderTest {
    private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");

    private static Database database;
    private Repositories store;

    @BeforeAll
    static void openDatabase() {
        database = Database.start(TestPostgres.freshDatabase("event_order"));
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void setUp() {
        TestPostgres.truncate(database);
        store = database.repositories();
    }

    private static Event event(UUID object, String type) {
        return Event.of(AT, "vm", object, "web", type, "", null, null);
    }

    private List<Event> after(long sequence) {
        return store.events().list(new EventFilter(null, null, null, sequence, 1_000));
    }

    @Test
    void anEventWhoseTransactionCommitsLateIsNotSkippedByAPollingReader() throws SQLException {
        UUID vm = UUID.randomUUID();
        try (Connection slow = database.dataSource().getConnection()) {
            slow.setAutoCommit(false);
            try (PreparedStatement insert = slow.prepareStatement(
                    "INSERT INTO events (created_at, object_kind, object_id, object_name, type, message)"
                            + " VALUES (now(), 'vm', ?, 'web', 'Slow', '')")) {
                insert.setObject(1, vm);
                insert.executeUpdate(); // inserted first, committed last
            }
            Event fast = store.events().append(event(vm, "Fast"));

            List<Event> firstPoll = after(0);
            assertThat(firstPoll).extracting(Event::type).containsExactly("Fast");
            slow.commit();
            List<Event> secondPoll = after(firstPoll.getLast().sequence());
            assertThat(secondPoll).extracting(Event::type).containsExactly("Slow");
            assertThat(secondPoll.getFirst().sequence()).isGreaterThan(fast.sequence());
        }
    }

    @Test
    void concurrentAppendersAndAPollingReaderSeeEveryEventOnceInOrder() throws Exception {
        int writers = 4;
        int eventsEach = 150;
        UUID vm = UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < eventsEach; i++) {
                        store.events().append(event(vm, writer + "-" + i));
                    }
                }));
            }
            List<Event> seen = new ArrayList<>();
            long cursor = 0;
            while (!done.stream().allMatch(Future::isDone) || !after(cursor).isEmpty()) {
                for (Event e : after(cursor)) {
                    seen.add(e);
                    cursor = e.sequence();
                }
            }
            for (Future<?> future : done) {
                future.get();
            }
            Set<String> types = new HashSet<>();
            seen.forEach(e -> types.add(e.type()));
            assertThat(seen).hasSize(writers * eventsEach);
            assertThat(types).hasSize(writers * eventsEach);
            assertThat(seen).extracting(Event::sequence).isSorted().doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }
}
