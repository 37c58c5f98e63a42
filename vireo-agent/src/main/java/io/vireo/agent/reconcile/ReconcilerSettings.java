package io.vireo.agent.reconcile;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The limits of a {@link VmReconciler}.
 *
 * @param maxConcurrentOperations driver operations in flight at once, over all VMs (at most one per VM)
 * @param stopGracePeriod how long a stop waits for the guest to power off before stopping it hard
 * @param rescanInterval how often the whole driver is listed, to catch changes made behind the agent's back
 * @param transitionPollInterval how often a booting ({@code CREATING}) VM is looked at again
 * @param retryBackoffMin delay before retrying a failed operation the first time
 * @param retryBackoffMax cap of the exponentially growing retry delay
 * @param eventQueueCapacity events (desired-state changes, operation results) waiting for the loop; producers block
 *     when it is full, which pushes back on the server's stream
 * @param shutdownTimeout how long {@code close()} waits for operations in flight to finish
 * @param fullReportInterval how often every VM is reported even if nothing changed: the level-triggered backstop for a
 *     report the server lost or overwrote with an older one (as the server resends desired sets every resync)
 */
public record ReconcilerSettings(
        int maxConcurrentOperations,
        Duration stopGracePeriod,
        Duration rescanInterval,
        Duration transitionPollInterval,
        Duration retryBackoffMin,
        Duration retryBackoffMax,
        int eventQueueCapacity,
        Duration shutdownTimeout,
        Duration fullReportInterval) {
    public static final Duration DEFAULT_FULL_REPORT_INTERVAL = Duration.ofSeconds(60);

    public static final ReconcilerSettings DEFAULTS = new ReconcilerSettings(
            16,
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(60),
            10_000,
            Duration.ofSeconds(30),
            DEFAULT_FULL_REPORT_INTERVAL);

    public ReconcilerSettings {
        if (maxConcurrentOperations < 1) {
            throw new IllegalArgumentException("maxConcurrentOperations must be positive: " + maxConcurrentOperations);
        }
        if (eventQueueCapacity < 1) {
            throw new IllegalArgumentException("eventQueueCapacity must be positive: " + eventQueueCapacity);
        }
        requireNonNegative("stopGracePeriod", stopGracePeriod);
        requirePositive("rescanInterval", rescanInterval);
        requirePositive("transitionPollInterval", transitionPollInterval);
        requirePositive("retryBackoffMin", retryBackoffMin);
        requirePositive("retryBackoffMax", retryBackoffMax);
        requireNonNegative("shutdownTimeout", shutdownTimeout);
        requirePositive("fullReportInterval", fullReportInterval);
        if (retryBackoffMax.compareTo(retryBackoffMin) < 0) {
            throw new IllegalArgumentException(
                    "retryBackoffMax " + retryBackoffMax + " is below retryBackoffMin " + retryBackoffMin);
        }
    }

    private static void requirePositive(String name, Duration value) {
        requireNonNull(value, name + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void requireNonNegative(String name, Duration value) {
        requireNonNull(value, name + " is null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
