package io.vireo.controller.identity;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The limits of identity.
 *
 * @param loginTokenLifetime how long a token from a password login lasts
 * @param defaultTokenLifetime how long a token made with {@code POST /tokens} lasts unless asked otherwise
 * @param maxTokenLifetime the longest a token may last
 * @param minPasswordLength the shortest password accepted for a new user
 * @param passwordIterations PBKDF2 iterations of new password hashes
 */
public record IdentitySettings(
        Duration loginTokenLifetime,
        Duration defaultTokenLifetime,
        Duration maxTokenLifetime,
        int minPasswordLength,
        int passwordIterations) {
    public static final IdentitySettings DEFAULTS = new IdentitySettings(
            Duration.ofHours(12), Duration.ofDays(90), Duration.ofDays(366), 12, PasswordHasher.DEFAULT_ITERATIONS);

    public IdentitySettings {
        requireNonNull(loginTokenLifetime, "loginTokenLifetime is null");
        requireNonNull(defaultTokenLifetime, "defaultTokenLifetime is null");
        requireNonNull(maxTokenLifetime, "maxTokenLifetime is null");
        if (loginTokenLifetime.isNegative()
                || loginTokenLifetime.isZero()
                || defaultTokenLifetime.isNegative()
                || defaultTokenLifetime.isZero()
                || loginTokenLifetime.compareTo(maxTokenLifetime) > 0
                || defaultTokenLifetime.compareTo(maxTokenLifetime) > 0) {
            throw new IllegalArgumentException("token lifetimes must be positive and at most the maximum");
        }
        if (minPasswordLength < 8 || minPasswordLength > PasswordHasher.MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("minPasswordLength must be 8.." + PasswordHasher.MAX_PASSWORD_LENGTH);
        }
    }

    /** The same with {@code iterations} PBKDF2 iterations (tests use few, to run fast). */
    public IdentitySettings withPasswordIterations(int iterations) {
        return new IdentitySettings(
                loginTokenLifetime, defaultTokenLifetime, maxTokenLifetime, minPasswordLength, iterations);
    }
}
