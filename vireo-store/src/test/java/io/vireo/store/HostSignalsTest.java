package io.vireo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Two replicas on one real PostgreSQL: what one signals, the other hears. */
class HostSignalsTest {
    @Test
    void aSignalFromOneReplicaReachesTheOther() {
        DatabaseSettings settings = TestPostgres.freshDatabase("host_signals");
        try (Database a = Database.start(settings);
                Database b = Database.start(settings)) {
            List<UUID> heard = new CopyOnWriteArrayList<>();
            b.hostSignals().listen(heard::add);
            UUID host = UUID.randomUUID();
            // the listener may not be listening yet: signal until it hears (signals are hints, repeats are harmless)
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        a.hostSignals().signal(host);
                        assertThat(heard).contains(host);
                    });
            assertThat(heard).containsOnly(host);
        }
    }
}
