package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.model.HaPolicy;
import java.time.Duration;

/**
 * The timings of host leases and the limits of HA restarts (ADR 19). A host's fence guard renews its lease every
 * {@code renewalInterval}; the server calls the host SUSPECT once no renewal has committed for {@code suspectAfter};
 * the guard ends every instance on its host once no renewal it sent has been acknowledged for {@code fenceDeadline}
 * (unless most of the cluster lost the control plane with it); the server calls the host FENCED, and restarts its VMs
 * elsewhere, once no renewal has committed for {@code fenceDeadline + fenceMargin}. The guard times its deadline from
 * the send time of a renewal, which is before the server's commit of it, and the margin covers clock rate drift and
 * the time the guard takes to end the instances.
 *
 * @param renewalInterval how often a fence guard renews its host's lease
 * @param suspectAfter how long without a committed renewal before a host is SUSPECT
 * @param fenceDeadline how long without an acknowledged renewal before a guard ends its host's instances
 * @param fenceMargin what the server waits beyond the deadline before it calls the host FENCED
 * @param massSuspectShare the share of guarded hosts SUSPECT at once above which fencing pauses (a failure of the
 *     network or of the control plane, not of hosts): no host is fenced until the share is below it again and a
 *     whole deadline and margin has passed since
 * @param restartsPerCheck how many VMs of fenced hosts one monitor pass hands to placement (bounded parallelism;
 *     the highest HA priority first)
 * @param defaultPolicy the HA policy of a VM created without one
 */
public record HaSettings(
        Duration renewalInterval,
        Duration suspectAfter,
        Duration fenceDeadline,
        Duration fenceMargin,
        double massSuspectShare,
        int restartsPerCheck,
        HaPolicy defaultPolicy) {
    public static final HaSettings DEFAULTS = new HaSettings(
            Duration.ofSeconds(1),
            Duration.ofSeconds(3),
            Duration.ofSeconds(8),
            Duration.ofSeconds(2),
            0.3,
            200,
            HaPolicy.DEFAULT);

    public HaSettings {
        requireNonNull(renewalInterval, "renewalInterval is null");
        requireNonNull(suspectAfter, "suspectAfter is null");
        requireNonNull(fenceDeadline, "fenceDeadline is null");
        requireNonNull(fenceMargin, "fenceMargin is null");
        requireNonNull(defaultPolicy, "defaultPolicy is null");
        if (renewalInterval.isNegative() || renewalInterval.isZero()) {
            throw new IllegalArgumentException("renewalInterval must be positive");
        }
        if (suspectAfter.compareTo(renewalInterval) <= 0) {
            throw new IllegalArgumentException("suspectAfter must exceed renewalInterval");
        }
        if (fenceDeadline.compareTo(suspectAfter) <= 0) {
            throw new IllegalArgumentException("fenceDeadline must exceed suspectAfter");
        }
        if (fenceMargin.isNegative() || fenceMargin.isZero()) {
            throw new IllegalArgumentException("fenceMargin must be positive");
        }
        if (!(massSuspectShare > 0 && massSuspectShare <= 1)) {
            throw new IllegalArgumentException("massSuspectShare must be in (0, 1]");
        }
        if (restartsPerCheck < 1) {
            throw new IllegalArgumentException("restartsPerCheck must be positive");
        }
    }

    /** How long after its last committed renewal a host may be called FENCED. */
    public Duration fenceAfter() {
        return fenceDeadline.plus(fenceMargin);
    }

    public HaSettings withDefaultPolicy(HaPolicy policy) {
        return new HaSettings(
                renewalInterval, suspectAfter, fenceDeadline, fenceMargin, massSuspectShare, restartsPerCheck, policy);
    }
}
