package io.vireo.controller;

import java.time.Duration;

/**
 * The limits of host enrollment.
 *
 * @param defaultTokenValidity how long a join token is usable when its maker gives no expiry
 * @param maxTokenValidity the longest expiry a join token may be given
 * @param certificateValidity how long a host certificate is valid; agents renew theirs over their stream once less
 *     than a third of it is left
 * @param maxUsableTokens how many usable (unused, unexpired) join tokens may exist at once: a bound on what a leaked
 *     admin credential can prepare
 */
public record HostEnrollmentSettings(
        Duration defaultTokenValidity, Duration maxTokenValidity, Duration certificateValidity, int maxUsableTokens) {
    public static final HostEnrollmentSettings DEFAULTS =
            new HostEnrollmentSettings(Duration.ofHours(24), Duration.ofDays(30), Duration.ofDays(30), 1000);

    public HostEnrollmentSettings {
        if (defaultTokenValidity.isNegative()
                || defaultTokenValidity.isZero()
                || maxTokenValidity.compareTo(defaultTokenValidity) < 0) {
            throw new IllegalArgumentException("token validities must be positive, the default within the maximum");
        }
        if (certificateValidity.compareTo(Duration.ofMinutes(10)) < 0) {
            throw new IllegalArgumentException("certificateValidity must be at least 10 minutes");
        }
        if (maxUsableTokens < 1) {
            throw new IllegalArgumentException("maxUsableTokens must be positive");
        }
    }
}
