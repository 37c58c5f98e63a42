package io.vireo.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.proto.agent.v1.GuardPeer;
import io.vireo.proto.agent.v1.LeaseGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The guard's loop on a hand-moved clock: it renews every renewal interval, never fences before its first grant,
 * fences once past the deadline (then only sweeps) unless more than the hold share of <em>all</em> other guarded hosts
 * answered that they lost the control plane too.
 */
class GuardLoopTest {
    private final MovableClock clock = new MovableClock();
    private final List<Long> sent = new ArrayList<>();
    private final Map<UUID, Boolean> peerAnswers = new HashMap<>();
    private int asked;
    private int fences;
    private int sweeps;

    private final GuardLoop loop = new GuardLoop(
            GuardSettings.DEFAULTS,
            clock,
            Runnable::run,
            (sequence, address) -> sent.add(sequence),
            new GuardLoop.Peers() {
                @Override
                public void ask(PeerClient.Peer peer, BiConsumer<UUID, Boolean> answered) {
                    asked++;
                    Boolean answer = peerAnswers.get(peer.hostId());
                    if (answer != null) {
                        answered.accept(peer.hostId(), answer);
                    }
                }

                @Override
                public void retain(List<PeerClient.Peer> peers) {}
            },
            new GuardLoop.Fence() {
                @Override
                public void fence() {
                    fences++;
                }

                @Override
                public int sweep() {
                    sweeps++;
                    return 0;
                }
            },
            "127.0.0.1:7000");

    @Test
    void renewsEveryRenewalIntervalAndNeverFencesBeforeItsFirstGrant() {
        for (int i = 0; i < 80; i++) { // 20 s of looks
            assertThat(loop.look()).isEqualTo(FenceGuard.Verdict.ALIVE);
            clock.advance(GuardSettings.DEFAULTS.tick());
        }
        assertThat(sent).hasSize(20);
        assertThat(fences).isZero();
    }

    @Test
    void aGuardWhosePeersDoNotAnswerFencesOncePastTheDeadlineThenSweeps() {
        grantFirstRenewal(4, List.of(peer(1), peer(2)));
        FenceGuard.Verdict verdict = lookUntilPast(GuardSettings.DEFAULTS.fenceDeadline());
        assertThat(verdict).isEqualTo(FenceGuard.Verdict.FENCE);
        assertThat(asked).as("it asked its peers once its lease lapsed").isPositive();
        int sweepsBefore = sweeps;
        loop.look();
        loop.look();
        assertThat(fences).isEqualTo(1);
        assertThat(sweeps).as("every later look sweeps again").isEqualTo(sweepsBefore + 2);
        assertThat(loop.lostControlPlane())
                .as("a fenced guard tells its peers it did not lose it")
                .isFalse();
    }

    @Test
    void aGuardHoldsWhenMoreThanTheHoldShareOfAllOtherGuardedHostsLostTheControlPlaneToo() {
        grantFirstRenewal(3, List.of(peer(1), peer(2)));
        peerAnswers.put(peer(1).hostId(), true);
        assertThat(lookUntilPast(GuardSettings.DEFAULTS.fenceDeadline())).isEqualTo(FenceGuard.Verdict.HOLD);
        assertThat(fences).isZero();
        assertThat(loop.lostControlPlane()).as("it tells its peers it lost it").isTrue();
    }

    @Test
    void aSampleOfPeersCannotMakeItHoldWhereTheServerWouldFence() {
        // 10 guarded hosts, 2 listed, both lost: 2 of 9 others is below 30%: the server would not pause, so no hold
        grantFirstRenewal(10, List.of(peer(1), peer(2)));
        peerAnswers.put(peer(1).hostId(), true);
        peerAnswers.put(peer(2).hostId(), true);
        assertThat(lookUntilPast(GuardSettings.DEFAULTS.fenceDeadline())).isEqualTo(FenceGuard.Verdict.FENCE);
        assertThat(fences).isEqualTo(1);
    }

    @Test
    void aPeerThatAnswersNoMakesItFence() {
        grantFirstRenewal(2, List.of(peer(1)));
        peerAnswers.put(peer(1).hostId(), false);
        assertThat(lookUntilPast(GuardSettings.DEFAULTS.fenceDeadline())).isEqualTo(FenceGuard.Verdict.FENCE);
    }

    private void grantFirstRenewal(int guardedHosts, List<PeerClient.Peer> peers) {
        loop.look();
        LeaseGrant.Builder grant =
                LeaseGrant.newBuilder().setSequence(sent.getLast()).setGuardedHosts(guardedHosts);
        for (PeerClient.Peer peer : peers) {
            grant.addPeers(
                    GuardPeer.newBuilder().setHostId(peer.hostId().toString()).setAddress(peer.address()));
        }
        loop.granted(grant.build());
    }

    /** Looks every tick (no grant coming) until the lease lapsed past {@code lapse}; returns the last verdict. */
    private FenceGuard.Verdict lookUntilPast(Duration lapse) {
        Instant until = clock.instant().plus(lapse).plus(GuardSettings.DEFAULTS.tick());
        FenceGuard.Verdict verdict = FenceGuard.Verdict.ALIVE;
        while (!clock.instant().isAfter(until)) {
            clock.advance(GuardSettings.DEFAULTS.tick());
            verdict = loop.look();
        }
        return verdict;
    }

    private static PeerClient.Peer peer(int n) {
        return new PeerClient.Peer(new UUID(7, n), "127.0.0." + n + ":7000");
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
