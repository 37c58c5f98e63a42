package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes a thread that waits for QEMU to reach a state as soon as one of the named QMP events arrives, instead of at
 * the next tick of a poll. The waiter still learns the state by asking QEMU (the events only say when to ask), so a
 * missed or unexpected event costs at most one {@code fallback} interval, never correctness:
 *
 * <pre>{@code
 * try (QmpWakeups wakeups = QmpWakeups.on(qmp, Set.of("MIGRATION"))) {
 *     while (!done(query())) {
 *         wakeups.await(fallback);
 *     }
 * }
 * }</pre>
 *
 * Register it before the command whose events it waits for. Thread-safe: events arrive on the QMP reader thread, one
 * thread waits.
 */
final class QmpWakeups implements QmpEventListener, AutoCloseable {
    private final QmpClient qmp;
    private final Set<String> names;
    private final Semaphore signals = new Semaphore(0);

    private QmpWakeups(QmpClient qmp, Set<String> names) {
        this.qmp = requireNonNull(qmp, "qmp is null");
        this.names = Set.copyOf(names);
    }

    /** Listens on {@code qmp} for the events named {@code names} until closed. */
    static QmpWakeups on(QmpClient qmp, Set<String> names) {
        QmpWakeups wakeups = new QmpWakeups(qmp, names);
        qmp.addListener(wakeups);
        return wakeups;
    }

    @Override
    public void onEvent(QmpEvent event) {
        if (names.contains(event.name())) {
            signals.release();
        }
    }

    /**
     * Returns when one of the events has arrived since the last call (at once if one did meanwhile), or after
     * {@code fallback}. Events that arrived together wake the waiter once.
     */
    void await(Duration fallback) {
        try {
            signals.tryAcquire(fallback.toNanos(), TimeUnit.NANOSECONDS);
            signals.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        qmp.removeListener(this);
    }
}
