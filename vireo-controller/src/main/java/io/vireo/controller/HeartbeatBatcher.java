package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.model.HostUsage;
import io.vireo.model.VmStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents' heartbeats, written to the store in batches (ADR 18): the thread that receives a heartbeat only
 * {@linkplain #offer offers} it; {@link #flush} writes everything offered since the last flush in one write of the
 * hosts' liveness (and their VMs' samples). A host's newer heartbeat replaces one not yet written, so the pending set
 * holds at most one per host: bounded by the number of hosts, and nothing is lost that a later heartbeat would not
 * replace anyway. A flush the store refuses puts its heartbeats back, unless newer ones came meanwhile, for the next.
 *
 * <p>Who calls {@link #flush} and how often is the composition root's business (the server: a timer every
 * {@link #FLUSH_INTERVAL}; the simulator: its loop), so the same code runs in both. Thread-safe.
 */
public final class HeartbeatBatcher {
    /** How often the server writes pending heartbeats: what they wait at most before a write starts. */
    public static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(HeartbeatBatcher.class);

    private final AgentSessions sessions;
    private final Object lock = new Object();
    private Map<UUID, AgentSessions.Heartbeat> pending = new LinkedHashMap<>();

    public HeartbeatBatcher(AgentSessions sessions) {
        this.sessions = requireNonNull(sessions, "sessions is null");
    }

    /** Takes a host's heartbeat for the next {@link #flush}; replaces one of the same host not yet written. */
    public void offer(UUID hostId, HostUsage usage, List<VmStats> vmSamples) {
        AgentSessions.Heartbeat heartbeat = new AgentSessions.Heartbeat(usage, vmSamples);
        synchronized (lock) {
            pending.put(requireNonNull(hostId, "hostId is null"), heartbeat);
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
        synchronized (lock) {
            if (pending.isEmpty()) {
                return 0;
            }
            batch = pending;
            pending = new LinkedHashMap<>();
        }
        try {
            sessions.heartbeats(batch);
            return batch.size();
        } catch (RuntimeException e) {
            synchronized (lock) {
                Map<UUID, AgentSessions.Heartbeat> newer = pending;
                pending = new LinkedHashMap<>(batch);
                pending.putAll(newer);
            }
            log.debug("writing {} heartbeats failed; they are written with the next batch", batch.size(), e);
            throw e;
        }
    }
}
