package io.vireo.store;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every server replica on this database that a host's desired VMs changed, over PostgreSQL's LISTEN/NOTIFY on
 * channel {@value #CHANNEL} (the payload is the host id). A replica that changed a VM whose host's agent is connected
 * to another replica signals; the replica holding that agent's stream sends it the full desired set at once instead of
 * at the next resync. Signals are hints: one lost (a listener reconnecting) costs at most a resync interval, never a
 * VM. The listener runs on a daemon thread with a connection of its own, reconnecting after a failure. Thread-safe.
 */
public final class HostSignals implements AutoCloseable {
    static final String CHANNEL = "vireo_host_desired";
    private static final Logger log = LoggerFactory.getLogger(HostSignals.class);
    private static final int POLL_MILLIS = 500;
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final Jdbc jdbc;
    private final DatabaseSettings settings;
    private volatile boolean closed;
    private volatile @Nullable Thread listener;

    HostSignals(Jdbc jdbc, DatabaseSettings settings) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** Signals that {@code hostId}'s desired VMs changed; delivered to the listeners when this statement commits. */
    public void signal(UUID hostId) {
        jdbc.queryOne("SELECT pg_notify(?, ?)", row -> true, CHANNEL, hostId.toString());
    }

    /** Starts listening; {@code handler} gets the host id of every signal, including this replica's own. */
    public synchronized void listen(Consumer<UUID> handler) {
        requireNonNull(handler, "handler is null");
        if (listener != null) {
            throw new IllegalStateException("already listening");
        }
        listener = Thread.ofPlatform().name("vireo-host-signals").daemon().start(() -> listenUntilClosed(handler));
    }

    private void listenUntilClosed(Consumer<UUID> handler) {
        while (!closed) {
            try (Connection connection =
                    DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        hostId(notification.getParameter()).ifPresent(id -> deliver(handler, id));
                    }
                }
            } catch (SQLException e) {
                if (!closed) {
                    log.warn("listening for host signals failed; reconnecting in {}", RECONNECT_DELAY, e);
                    pause();
                }
            }
        }
    }

    private static void deliver(Consumer<UUID> handler, UUID hostId) {
        try {
            handler.accept(hostId);
        } catch (RuntimeException e) {
            log.warn("handling the signal for host {} failed", hostId, e);
        }
    }

    private static Optional<UUID> hostId(String payload) {
        try {
            return Optional.of(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            log.warn("ignoring a host signal that is not a host id: {}", payload);
            return Optional.empty();
        }
    }

    private static void pause() {
        LockSupport.parkNanos(RECONNECT_DELAY.toNanos()); // back-off before reconnecting
    }

    /** Stops the listener (within a poll interval). */
    @Override
    public void close() {
        closed = true;
        Thread thread = listener;
        if (thread != null) {
            try {
                thread.join(POLL_MILLIS * 4L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
