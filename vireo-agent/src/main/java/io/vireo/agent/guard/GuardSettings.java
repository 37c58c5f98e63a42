package io.vireo.agent.guard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The fence guard's timings and limits (ADR 22). The lease timings mirror the server's defaults (HaSettings, ADR 19);
 * every grant carries the server's own, and the guard logs an error when the server would restart VMs before this
 * guard's deadline has passed.
 *
 * @param renewalInterval how often the guard renews its host's lease
 * @param tick how often the guard looks at its lease (a fraction of the renewal interval)
 * @param fenceDeadline how long without an acknowledged renewal before the guard fences (unless it holds)
 * @param peerLapse how long without an acknowledged renewal before this guard tells a peer it lost the control plane,
 *     and before it starts asking its own peers
 * @param holdShare the share of the other guarded hosts that must answer "lost" for the guard to hold
 * @param askInterval how often the guard asks its peers while its lease has lapsed
 * @param askTimeout how long it waits for one peer's answer
 * @param answerFreshness how long a peer's answer counts
 * @param staleStream how long the lease stream may go without a grant before the guard opens a new one
 * @param identityRefresh how often the guard reads the host identity again (the agent renews the certificate)
 */
public record GuardSettings(
        Duration renewalInterval,
        Duration tick,
        Duration fenceDeadline,
        Duration peerLapse,
        double holdShare,
        Duration askInterval,
        Duration askTimeout,
        Duration answerFreshness,
        Duration staleStream,
        Duration identityRefresh) {
    public static final GuardSettings DEFAULTS = new GuardSettings(
            Duration.ofSeconds(1),
            Duration.ofMillis(250),
            Duration.ofSeconds(8),
            Duration.ofSeconds(3),
            0.3,
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofMillis(1500),
            Duration.ofSeconds(3),
            Duration.ofHours(1));

    public GuardSettings {
        requireNonNull(renewalInterval, "renewalInterval is null");
        requireNonNull(tick, "tick is null");
        requireNonNull(fenceDeadline, "fenceDeadline is null");
        requireNonNull(peerLapse, "peerLapse is null");
        requireNonNull(askInterval, "askInterval is null");
        requireNonNull(askTimeout, "askTimeout is null");
        requireNonNull(answerFreshness, "answerFreshness is null");
        requireNonNull(staleStream, "staleStream is null");
        requireNonNull(identityRefresh, "identityRefresh is null");
        if (tick.isNegative() || tick.isZero() || tick.compareTo(renewalInterval) > 0) {
            throw new IllegalArgumentException("tick must be positive and at most renewalInterval");
        }
        if (askTimeout.compareTo(answerFreshness) >= 0) {
            throw new IllegalArgumentException("askTimeout must be shorter than answerFreshness");
        }
    }

    /** How many looks between two renewals. */
    int ticksPerRenewal() {
        return (int) Math.max(1, renewalInterval.toNanos() / tick.toNanos());
    }
}
