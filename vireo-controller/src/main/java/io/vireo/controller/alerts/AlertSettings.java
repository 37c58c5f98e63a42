package io.vireo.controller.alerts;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How alerts are evaluated and sent, and the built-in rules' thresholds.
 *
 * @param evaluationInterval how often the server evaluates every rule
 * @param resendInterval how often a firing alert is sent again while it fires
 * @param hostDownFor how long a host must stay DOWN, SUSPECT or FENCED before its alert fires
 * @param stuckAfter how long a VM may stay in a transitional state before it counts as stuck
 * @param migrationFailureWindow how recent a failed migration must be to raise its alert
 * @param capacityRatio the share of the cluster's allocatable capacity, per resource, above which capacity alerts
 * @param capacityFor how long capacity must stay above the ratio before the alert fires
 * @param maxAlertsPerRule the most alerts one rule raises at once (stuck VMs, failed migrations), and the most rows
 *     one evaluation reads for it
 */
public record AlertSettings(
        Duration evaluationInterval,
        Duration resendInterval,
        Duration hostDownFor,
        Duration stuckAfter,
        Duration migrationFailureWindow,
        double capacityRatio,
        Duration capacityFor,
        int maxAlertsPerRule) {
    public static final AlertSettings DEFAULTS = new AlertSettings(
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            Duration.ofMinutes(10),
            Duration.ofMinutes(15),
            0.85,
            Duration.ofMinutes(5),
            100);

    public AlertSettings {
        requirePositive("evaluationInterval", evaluationInterval);
        requirePositive("resendInterval", resendInterval);
        requireNonNull(hostDownFor, "hostDownFor is null");
        requirePositive("stuckAfter", stuckAfter);
        requirePositive("migrationFailureWindow", migrationFailureWindow);
        requireNonNull(capacityFor, "capacityFor is null");
        if (!(capacityRatio > 0 && capacityRatio <= 1)) {
            throw new IllegalArgumentException("capacityRatio must be in (0, 1]: " + capacityRatio);
        }
        if (maxAlertsPerRule < 1) {
            throw new IllegalArgumentException("maxAlertsPerRule must be positive: " + maxAlertsPerRule);
        }
    }

    /**
     * How long a firing alert stays valid at a receiver without being sent again ({@code endsAt} = now + this): four
     * times the longer of the resend and evaluation intervals, so that a late resend or two never resolves it.
     */
    public Duration firingValidity() {
        Duration longer = resendInterval.compareTo(evaluationInterval) >= 0 ? resendInterval : evaluationInterval;
        return longer.multipliedBy(4);
    }

    private static void requirePositive(String name, Duration value) {
        requireNonNull(value, name + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
