package io.vireo.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.agent.guard.FenceGuard.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FenceGuardTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration DEADLINE = Duration.ofSeconds(8);

    private final FenceGuard guard = new FenceGuard(DEADLINE, Duration.ofSeconds(3), 0.3);

    @Test
    void aGuardNeverFencesBeforeItsFirstAcknowledgedRenewal() {
        guard.renewalSent(T0);

        assertThat(guard.verdict(T0.plusSeconds(3600), 4, 0)).isEqualTo(Verdict.ALIVE);
        assertThat(guard.lapse(T0.plusSeconds(3600))).isNull();
        assertThat(guard.lostControlPlane(T0.plusSeconds(3600))).isFalse();
    }

    @Test
    void theLeaseRunsFromTheSendTimeOfTheLatestAcknowledgedRenewalNotFromTheAcknowledgement() {
        long first = guard.renewalSent(T0);
        long second = guard.renewalSent(T0.plusSeconds(1));
        guard.acknowledged(second); // acknowledged late: the lease still runs from when it was sent
        guard.acknowledged(first); // an older acknowledgement arriving after never moves the lease back

        assertThat(guard.lapse(T0.plusSeconds(5))).isEqualTo(Duration.ofSeconds(4));
        assertThat(guard.verdict(T0.plusSeconds(9), 4, 0)).isEqualTo(Verdict.ALIVE);
        assertThat(guard.verdict(T0.plusSeconds(9).plusMillis(1), 4, 0)).isEqualTo(Verdict.FENCE);
        guard.acknowledged(42); // unknown: ignored
        assertThat(guard.lapse(T0.plusSeconds(5))).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void pastTheDeadlineAGuardHoldsOnlyWhenMoreThanTheShareOfAllItsPeersLostTheControlPlaneToo() {
        guard.acknowledged(guard.renewalSent(T0));
        Instant late = T0.plus(DEADLINE).plusSeconds(1);

        assertThat(guard.verdict(late, 10, 4)).isEqualTo(Verdict.HOLD);
        FenceGuard other = new FenceGuard(DEADLINE, Duration.ofSeconds(3), 0.3);
        other.acknowledged(other.renewalSent(T0));
        assertThat(other.verdict(late, 10, 3))
                .as("3 of 10 is not more than 30%")
                .isEqualTo(Verdict.FENCE);
        assertThat(other.verdict(late, 0, 0))
                .as("a guard with no peers is the one cut off")
                .isEqualTo(Verdict.FENCE);
    }

    @Test
    void aGuardThatFencedKeepsFencingAndNoLongerCountsAsAPeerThatLostTheControlPlane() {
        guard.acknowledged(guard.renewalSent(T0));
        Instant late = T0.plus(DEADLINE).plusSeconds(1);
        assertThat(guard.lostControlPlane(late)).isTrue();

        assertThat(guard.verdict(late, 10, 0)).isEqualTo(Verdict.FENCE);

        assertThat(guard.fenced()).isTrue();
        assertThat(guard.lostControlPlane(late)).isFalse();
        assertThat(guard.verdict(late.plusSeconds(1), 10, 9))
                .as("once fenced, no hold")
                .isEqualTo(Verdict.FENCE);
        guard.acknowledged(guard.renewalSent(late.plusSeconds(2)));
        assertThat(guard.verdict(late.plusSeconds(2), 10, 0)).isEqualTo(Verdict.ALIVE);
        assertThat(guard.fenced()).isFalse();
    }

    @Test
    void aPeerCountsAsHavingLostTheControlPlaneOnlyAfterThePeerLapse() {
        guard.acknowledged(guard.renewalSent(T0));

        assertThat(guard.lostControlPlane(T0.plusSeconds(3))).isFalse();
        assertThat(guard.lostControlPlane(T0.plusSeconds(3).plusMillis(1))).isTrue();
    }

    @Test
    void settingsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> new FenceGuard(DEADLINE, DEADLINE, 0.3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FenceGuard(DEADLINE, Duration.ofSeconds(1), 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
