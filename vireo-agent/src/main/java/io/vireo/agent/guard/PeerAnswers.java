package io.vireo.agent.guard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a fence guard's peers last answered to "did you lose the control plane too?" (ADR 22), on the guard's
 * monotonic clock. Only answers younger than {@code freshness} count, and only from the peers of the latest grant: a
 * peer whose answer is older, that did not answer, or that answered "no" counts as not having lost it — the
 * conservative side, since counting a peer as lost is what lets the guard hold. Bounded by the peers of the latest
 * grant ({@link #retain}). Not thread-safe: the guard's thread owns it.
 */
public final class PeerAnswers {
    private record Answer(boolean lost, Instant at) {}

    private final Duration freshness;
    private final Map<UUID, Answer> latest = new HashMap<>();

    /** @param freshness how long an answer counts after it arrived */
    public PeerAnswers(Duration freshness) {
        this.freshness = requireNonNull(freshness, "freshness is null");
        if (freshness.isNegative() || freshness.isZero()) {
            throw new IllegalArgumentException("freshness must be positive");
        }
    }

    /** Peer {@code peer} answered {@code lost} at {@code at}; an answer older than the one kept is ignored. */
    public void answered(UUID peer, boolean lost, Instant at) {
        requireNonNull(peer, "peer is null");
        requireNonNull(at, "at is null");
        Answer previous = latest.get(peer);
        if (previous == null || !at.isBefore(previous.at())) {
            latest.put(peer, new Answer(lost, at));
        }
    }

    /** Forgets every peer but {@code peers} (the latest grant's). */
    public void retain(Collection<UUID> peers) {
        Set<UUID> keep = Set.copyOf(peers);
        latest.keySet().removeIf(peer -> !keep.contains(peer));
    }

    /** How many of {@code peers} answered, at most {@code freshness} before {@code now}, that they lost it. */
    public int lost(Collection<UUID> peers, Instant now) {
        Instant oldest = now.minus(freshness);
        int lost = 0;
        for (UUID peer : peers) {
            Answer answer = latest.get(peer);
            if (answer != null
                    && answer.lost()
                    && !answer.at().isBefore(oldest)
                    && !answer.at().isAfter(now)) {
                lost++;
            }
        }
        return lost;
    }
}
