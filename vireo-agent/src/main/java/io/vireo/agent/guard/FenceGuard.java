package io.vireo.agent.guard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The decisions of a host's fence guard (ADR 19), on a monotonic clock. The guard renews its host's lease every
 * renewal interval; the server acknowledges a renewal once it has committed it. The guard times its lease from the
 * <em>send</em> time of the latest acknowledged renewal — earlier than the server's commit of it, so the guard's
 * deadline always falls before the server's — and, once that is older than the fence deadline, either fences (ends
 * every instance on the host, after writing the marker that stops the agent starting any) or holds:
 *
 * <ul>
 *   <li>it holds when more than {@code holdShare} of <em>all</em> its peers answer that they, too, have had no
 *       acknowledged renewal for longer than {@code peerLapse}: the control plane (every server, or PostgreSQL) or the
 *       network around it is down, not this host, and fencing would stop VMs for nothing. The server pauses fencing
 *       under the same condition (more than that share SUSPECT), so it restarts nothing that a holding guard keeps;
 *   <li>it fences otherwise: peers that renew fine (this host alone is cut off), peers that do not answer (this host is
 *       isolated from them too) and peers that are down all count against holding.
 * </ul>
 *
 * <p>A guard that has never had a renewal acknowledged never fences: the server does not treat its host as guarded
 * until a renewal commits. Not thread-safe: one thread (or the simulator's loop) drives it.
 */
public final class FenceGuard {
    /** What the guard should do now. */
    public enum Verdict {
        /** The lease is fresh. */
        ALIVE,
        /** The lease lapsed, but so did most of the cluster's: the control plane is down; keep the VMs. */
        HOLD,
        /** The lease lapsed and this host is the one cut off: end every instance. */
        FENCE
    }

    private final Duration fenceDeadline;
    private final Duration peerLapse;
    private final double holdShare;
    private final Map<Long, Instant> sent = new HashMap<>();
    private long nextSequence = 1;
    private @Nullable Instant lastAckedSend;
    private boolean fenced;

    /**
     * @param fenceDeadline how long without an acknowledged renewal before the guard fences
     * @param peerLapse how long without an acknowledged renewal before a peer counts as having lost the control plane
     * @param holdShare the share of all peers that must have lost it too for the guard to hold
     */
    public FenceGuard(Duration fenceDeadline, Duration peerLapse, double holdShare) {
        this.fenceDeadline = requireNonNull(fenceDeadline, "fenceDeadline is null");
        this.peerLapse = requireNonNull(peerLapse, "peerLapse is null");
        if (peerLapse.compareTo(fenceDeadline) >= 0) {
            throw new IllegalArgumentException("peerLapse must be shorter than fenceDeadline");
        }
        if (!(holdShare > 0 && holdShare < 1)) {
            throw new IllegalArgumentException("holdShare must be in (0, 1)");
        }
        this.holdShare = holdShare;
    }

    /** A renewal is being sent now; returns its sequence number, which its acknowledgement names. */
    public long renewalSent(Instant now) {
        long sequence = nextSequence++;
        sent.put(sequence, requireNonNull(now, "now is null"));
        return sequence;
    }

    /** The server committed renewal {@code sequence}: the lease runs from when it was sent. Repeats are harmless. */
    public void acknowledged(long sequence) {
        Instant at = sent.get(sequence);
        if (at == null) {
            return;
        }
        if (lastAckedSend == null || at.isAfter(lastAckedSend)) {
            lastAckedSend = at;
        }
        sent.keySet().removeIf(earlier -> earlier <= sequence);
    }

    /** How long since the send time of the latest acknowledged renewal; null before the first one. */
    public @Nullable Duration lapse(Instant now) {
        Instant acked = lastAckedSend;
        return acked == null ? null : Duration.between(acked, now);
    }

    /**
     * What a peer answers when this guard asks whether it, too, lost the control plane: yes if its lease lapsed and it
     * has not fenced. A guard that fenced its host says no: the server may have fenced that host too, and counts it no
     * longer among the SUSPECT hosts that pause fencing; counting it here would let a guard hold while the server
     * restarts its VMs.
     */
    public boolean lostControlPlane(Instant now) {
        Duration lapse = lapse(now);
        return !fenced && lapse != null && lapse.compareTo(peerLapse) > 0;
    }

    /** Whether the last verdict was {@link Verdict#FENCE} (until the lease is renewed again). */
    public boolean fenced() {
        return fenced;
    }

    /**
     * The verdict now, given that {@code peersLost} of this guard's {@code peers} peers (every other guarded host of
     * the cluster) answered that they lost the control plane too; peers that did not answer count as not lost.
     */
    public Verdict verdict(Instant now, int peers, int peersLost) {
        Duration lapse = lapse(now);
        if (lapse == null || lapse.compareTo(fenceDeadline) <= 0) {
            fenced = false;
            return Verdict.ALIVE;
        }
        if (!fenced && peers > 0 && peersLost > holdShare * peers) {
            return Verdict.HOLD;
        }
        fenced = true;
        return Verdict.FENCE;
    }
}
