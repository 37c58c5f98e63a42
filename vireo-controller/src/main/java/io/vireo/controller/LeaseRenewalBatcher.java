package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fence guards' lease renewals, written in batches as heartbeats are (ADR 18, ADR 22): the thread that receives a
 * renewal only {@linkplain #offer offers} it with its acknowledgement; {@link #flush} writes every host offered since
 * the last flush in one statement ({@link AgentSessions#renewLeases}) and then, once it has returned (the renewals are
 * committed), hands the acknowledgements to the {@code granted} executor. A host's newer renewal replaces one not yet
 * written, and only the newer one is acknowledged: the guard times its lease from the send time of the latest renewal
 * acknowledged, so acknowledging the newer one covers the older. The pending set holds at most one renewal per host. A
 * flush the store refuses puts its renewals back, unless newer ones came meanwhile, and acknowledges none of them.
 *
 * <p>Who calls {@link #flush} and how often is the composition root's business (the server: a thread of its own every
 * {@link #FLUSH_INTERVAL}). Thread-safe.
 */
public final class LeaseRenewalBatcher {
    /** How often the server writes pending renewals: what one waits at most before its write starts. */
    public static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(LeaseRenewalBatcher.class);

    private final AgentSessions sessions;
    private final Executor granted;
    private final Object lock = new Object();
    private Map<UUID, Runnable> pending = new LinkedHashMap<>();

    /**
     * @param granted where acknowledgements run once their batch is committed, so that no slow stream delays the next
     *     flush
     */
    public LeaseRenewalBatcher(AgentSessions sessions, Executor granted) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.granted = requireNonNull(granted, "granted is null");
    }

    /** Takes a host's renewal for the next {@link #flush}; {@code onCommitted} runs once it is written. */
    public void offer(UUID hostId, Runnable onCommitted) {
        requireNonNull(hostId, "hostId is null");
        requireNonNull(onCommitted, "onCommitted is null");
        synchronized (lock) {
            pending.put(hostId, onCommitted);
        }
    }

    /** Renewals offered and not yet written. */
    public int pending() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /**
     * Writes every pending renewal in one batch and hands their acknowledgements over; returns how many. If the store
     * fails, they are pending again (those not replaced meanwhile), none is acknowledged, and the failure is thrown.
     */
    public int flush() {
        Map<UUID, Runnable> batch;
        synchronized (lock) {
            if (pending.isEmpty()) {
                return 0;
            }
            batch = pending;
            pending = new LinkedHashMap<>();
        }
        try {
            sessions.renewLeases(batch.keySet());
        } catch (RuntimeException e) {
            synchronized (lock) {
                Map<UUID, Runnable> newer = pending;
                pending = new LinkedHashMap<>(batch);
                pending.putAll(newer);
            }
            log.debug("writing {} lease renewals failed; they are written with the next batch", batch.size(), e);
            throw e;
        }
        List<Runnable> acknowledgements = List.copyOf(batch.values());
        granted.execute(() -> acknowledgements.forEach(Runnable::run));
        return batch.size();
    }
}
