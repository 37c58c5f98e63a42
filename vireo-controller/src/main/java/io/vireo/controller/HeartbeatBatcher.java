package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.model.HostUsage;
import io.vireo.model.VmStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents' heartbeats, written to the store in batches (ADR 18): the thread that receives a heartbeat only
 * {@linkplain #offer offers} it; {@link #flush} writes everything offered since the last flush in one write of the
 * hosts' liveness (and their VMs' samples). A host's newer heartbeat replaces one not yet written, so the pending set
 * holds at most one per host: bounded by the number of hosts, and nothing is lost that a later heartbeat would not
 * replace anyway. A flush the store refuses puts its heartbeats back, unless newer ones came meanwhile, for the next.
 *
 * <p>A heartbeat may come with a callback ({@link #offer(UUID, HostUsage, List, Runnable)}), run on the
 * {@code recorded} executor once the flush that wrote it has returned: once the heartbeat is committed. A heartbeat
 * replaced before it was written was never recorded, and its callback never runs.
 *
 * <p>Who calls {@link #flush} and how often is the composition root's business (the server: a timer every
 * {@link #FLUSH_INTERVAL}; the simulator: its loop), so the same code runs in both. Thread-safe.
 */
public final class HeartbeatBatcher {
    /** How often the server writes pending heartbeats: what they wait at most before a write starts. */
    public static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(HeartbeatBatcher.class);

    private static final Runnable NOTHING = () -> {};

    private final AgentSessions sessions;
    private final Executor recorded;
    private final Object lock = new Object();
    private Map<UUID, AgentSessions.Heartbeat> pending = new LinkedHashMap<>();
    private Map<UUID, Runnable> callbacks = new LinkedHashMap<>();

    /** A batcher that runs heartbeats' callbacks on the flushing thread. */
    public HeartbeatBatcher(AgentSessions sessions) {
        this(sessions, Runnable::run);
    }

    /** A batcher that runs heartbeats' callbacks on {@code recorded}, so that no callback delays the next flush. */
    public HeartbeatBatcher(AgentSessions sessions, Executor recorded) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.recorded = requireNonNull(recorded, "recorded is null");
    }

    /** Takes a host's heartbeat for the next {@link #flush}; replaces one of the same host not yet written. */
    public void offer(UUID hostId, HostUsage usage, List<VmStats> vmSamples) {
        offer(hostId, usage, vmSamples, NOTHING);
    }

    /** {@link #offer(UUID, HostUsage, List)}, and runs {@code onRecorded} once this heartbeat is written. */
    public void offer(UUID hostId, HostUsage usage, List<VmStats> vmSamples, Runnable onRecorded) {
        AgentSessions.Heartbeat heartbeat = new AgentSessions.Heartbeat(usage, vmSamples);
        requireNonNull(onRecorded, "onRecorded is null");
        synchronized (lock) {
            pending.put(requireNonNull(hostId, "hostId is null"), heartbeat);
            callbacks.put(hostId, onRecorded);
        }
    }

    /** Heartbeats offered and not yet written. */
    public int pending() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /**
     * Writes every pending heartbeat in one batch; returns how many. If the store fails, they are pending again
     * (those not replaced meanwhile) and the failure is thrown.
     */
    public int flush() {
        Map<UUID, AgentSessions.Heartbeat> batch;
        Map<UUID, Runnable> batchCallbacks;
        synchronized (lock) {
            if (pending.isEmpty()) {
                return 0;
            }
            batch = pending;
            batchCallbacks = callbacks;
            pending = new LinkedHashMap<>();
            callbacks = new LinkedHashMap<>();
        }
        try {
            sessions.heartbeats(batch);
        } catch (RuntimeException e) {
            synchronized (lock) {
                Map<UUID, AgentSessions.Heartbeat> newer = pending;
                Map<UUID, Runnable> newerCallbacks = callbacks;
                pending = new LinkedHashMap<>(batch);
                pending.putAll(newer);
                callbacks = new LinkedHashMap<>(batchCallbacks);
                callbacks.putAll(newerCallbacks);
            }
            log.debug("writing {} heartbeats failed; they are written with the next batch", batch.size(), e);
            throw e;
        }
        List<Runnable> done = batchCallbacks.values().stream()
                .filter(callback -> callback != NOTHING)
                .toList();
        if (!done.isEmpty()) {
            recorded.execute(() -> done.forEach(Runnable::run));
        }
        return batch.size();
    }
}
