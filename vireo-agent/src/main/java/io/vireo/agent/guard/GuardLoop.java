package io.vireo.agent.guard;

import static java.util.Objects.requireNonNull;

import io.vireo.proto.agent.v1.GuardPeer;
import io.vireo.proto.agent.v1.LeaseGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's fence guard at work (ADR 22): every {@link GuardSettings#tick} the guard's thread calls {@link #look},
 * which renews the lease every renewal interval, asks the peers once the lease has lapsed past the peer lapse, takes
 * {@link FenceGuard#verdict} and acts on it: FENCE runs the {@link HostFencer} once, then sweeps at every look while it
 * lasts; HOLD and ALIVE touch nothing. Grants and peers' answers arrive on gRPC's threads and are handed to the
 * guard's thread ({@code self}), so that the {@link FenceGuard} and {@link PeerAnswers} are only ever touched there.
 * Every change of verdict, every fence and every grant that changes the peers is logged.
 *
 * <p>The verdict counts as peers every other guarded host of the latest grant ({@code guarded_hosts - 1}), not only
 * the peers it lists: those it could not ask count as not lost, so a sample of peers never lets this guard hold where
 * the server, which pauses only when more than the same share of all guarded hosts is SUSPECT, would fence.
 *
 * <p>Not thread-safe but for {@link #lostControlPlane} and the hand-overs: one thread calls {@link #look}.
 */
final class GuardLoop {
    private static final Logger log = LoggerFactory.getLogger(GuardLoop.class);

    /** Where the loop sends renewals (the lease stream in production). */
    interface Renewals {
        void send(long sequence, String guardAddress);
    }

    /** Where the loop asks a peer (the peer client in production); answers come back through the callback. */
    interface Peers {
        void ask(PeerClient.Peer peer, BiConsumer<UUID, Boolean> answered);

        void retain(List<PeerClient.Peer> peers);
    }

    /** What the loop does to the host past the deadline (the {@link HostFencer} in production). */
    interface Fence {
        void fence();

        int sweep();
    }

    private final GuardSettings settings;
    private final Clock clock;
    private final Executor self;
    private final Renewals renewals;
    private final Peers peers;
    private final Fence fence;
    private final String guardAddress;
    private final FenceGuard guard;
    private final PeerAnswers answers;
    private final AtomicBoolean lost = new AtomicBoolean();
    private List<PeerClient.Peer> listed = List.of();
    private List<UUID> listedIds = List.of();
    private int guardedHosts;
    private long looks;
    private Instant nextAsk = Instant.MIN;
    private FenceGuard.@Nullable Verdict lastVerdict;
    private boolean fenceRan;
    private boolean granted;
    private boolean timingsWarned;

    /**
     * @param clock a monotonic clock
     * @param self the guard's thread: grants and answers are handed to it
     * @param guardAddress where this guard answers its peers, sent with each renewal (empty: it does not listen)
     */
    GuardLoop(
            GuardSettings settings,
            Clock clock,
            Executor self,
            Renewals renewals,
            Peers peers,
            Fence fence,
            String guardAddress) {
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.self = requireNonNull(self, "self is null");
        this.renewals = requireNonNull(renewals, "renewals is null");
        this.peers = requireNonNull(peers, "peers is null");
        this.fence = requireNonNull(fence, "fence is null");
        this.guardAddress = requireNonNull(guardAddress, "guardAddress is null");
        this.guard = new FenceGuard(settings.fenceDeadline(), settings.peerLapse(), settings.holdShare());
        this.answers = new PeerAnswers(settings.answerFreshness());
    }

    /** What this guard answers a peer: whether it lost the control plane, as of its latest look. Thread-safe. */
    boolean lostControlPlane() {
        return lost.get();
    }

    /** A grant arrived (on any thread). */
    void granted(LeaseGrant grant) {
        self.execute(() -> applyGrant(grant));
    }

    /** One look; see the class comment. Returns the verdict. */
    FenceGuard.Verdict look() {
        Instant now = clock.instant();
        if (looks++ % settings.ticksPerRenewal() == 0) {
            renewals.send(guard.renewalSent(now), guardAddress);
        }
        Duration lapse = guard.lapse(now);
        if (lapse != null && lapse.compareTo(settings.peerLapse()) > 0 && !listed.isEmpty() && !now.isBefore(nextAsk)) {
            nextAsk = now.plus(settings.askInterval());
            for (PeerClient.Peer peer : listed) {
                peers.ask(peer, (hostId, answer) -> answered(hostId, answer));
            }
        }
        int others = Math.max(0, guardedHosts - 1);
        int peersLost = answers.lost(listedIds, now);
        FenceGuard.Verdict verdict = guard.verdict(now, others, peersLost);
        if (verdict != lastVerdict) {
            log.warn(
                    "verdict {}: {}; {} of {} other guarded hosts answered that they lost the control plane ({} asked)",
                    verdict,
                    lapse == null
                            ? "no renewal granted yet: this guard never fences before its first"
                            : "last granted renewal sent " + lapse.toMillis() + " ms ago (deadline "
                                    + settings.fenceDeadline().toMillis() + " ms)",
                    peersLost,
                    others,
                    listed.size());
            lastVerdict = verdict;
        }
        switch (verdict) {
            case FENCE -> {
                if (!fenceRan) {
                    fenceRan = true;
                    log.error("fencing the host: its lease lapsed and it is the one cut off");
                    fence.fence();
                } else {
                    fence.sweep();
                }
            }
            case ALIVE -> {
                if (fenceRan) {
                    fenceRan = false;
                    log.warn("the lease is renewed again after a fence: the agent lifts the fence marker once its"
                            + " host has registered again");
                }
            }
            case HOLD -> {}
        }
        lost.set(guard.lostControlPlane(now));
        return verdict;
    }

    private void answered(UUID hostId, boolean answer) {
        Instant at = clock.instant();
        self.execute(() -> answers.answered(hostId, answer, at));
    }

    private void applyGrant(LeaseGrant grant) {
        guard.acknowledged(grant.getSequence());
        if (!granted) {
            granted = true;
            log.info("first renewal granted (sequence {}): the host is guarded from now on", grant.getSequence());
        }
        boolean countChanged = grant.getGuardedHosts() != guardedHosts;
        guardedHosts = grant.getGuardedHosts();
        List<PeerClient.Peer> fresh = new ArrayList<>(grant.getPeersCount());
        for (GuardPeer peer : grant.getPeersList()) {
            try {
                fresh.add(new PeerClient.Peer(UUID.fromString(peer.getHostId()), peer.getAddress()));
            } catch (IllegalArgumentException e) {
                log.warn("ignoring a peer with a malformed host id in a grant");
            }
        }
        if (countChanged || !fresh.equals(listed)) {
            log.info("peers now {} of {} guarded hosts: {}", fresh.size(), guardedHosts, fresh);
        }
        if (!fresh.equals(listed)) {
            listed = List.copyOf(fresh);
            listedIds = listed.stream().map(PeerClient.Peer::hostId).toList();
            answers.retain(listedIds);
            peers.retain(listed);
        }
        checkTimings(grant);
    }

    private void checkTimings(LeaseGrant grant) {
        long serverDeadline = grant.getFenceDeadlineMillis();
        if (!timingsWarned
                && serverDeadline > 0
                && serverDeadline < settings.fenceDeadline().toMillis()) {
            timingsWarned = true;
            log.error(
                    "the server's fence deadline is {} ms, this guard's {} ms: the server may restart this host's VMs"
                            + " before this guard ends them; run the guard with the server's timings",
                    serverDeadline,
                    settings.fenceDeadline().toMillis());
        }
    }
}
