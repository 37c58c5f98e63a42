package io.vireo.controller.identity;

import static java.util.Objects.requireNonNull;

import io.vireo.model.ProjectQuota;
import io.vireo.model.QuotaResource;
import java.time.Duration;
import java.util.Map;

/**
 * The limits of identity.
 *
 * @param loginTokenLifetime how long a token from a password login lasts
 * @param defaultTokenLifetime how long a token made with {@code POST /tokens} lasts unless asked otherwise
 * @param maxTokenLifetime the longest a token may last
 * @param minPasswordLength the shortest password accepted for a new user
 * @param passwordIterations PBKDF2 iterations of new password hashes
 * @param defaultQuota the quota limits a new project gets (a resource not named is unlimited); the admin project has
 *     none
 */
public record IdentitySettings(
        Duration loginTokenLifetime,
        Duration defaultTokenLifetime,
        Duration maxTokenLifetime,
        int minPasswordLength,
        int passwordIterations,
        Map<QuotaResource, Long> defaultQuota) {
    /** A new project's quota, as OpenStack's defaults: 10 instances, 20 vCPUs, 50 GiB memory, 10 volumes, 1 TiB. */
    public static final Map<QuotaResource, Long> DEFAULT_QUOTA = Map.of(
            QuotaResource.INSTANCES, 10L,
            QuotaResource.VCPUS, 20L,
            QuotaResource.MEMORY_MIB, 50L * 1024,
            QuotaResource.DISK_GIB, 1000L,
            QuotaResource.VOLUMES, 10L,
            QuotaResource.VOLUME_GIB, 1000L);

    public static final IdentitySettings DEFAULTS = new IdentitySettings(
            Duration.ofHours(12),
            Duration.ofDays(90),
            Duration.ofDays(366),
            12,
            PasswordHasher.DEFAULT_ITERATIONS,
            DEFAULT_QUOTA);

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
        defaultQuota.forEach(ProjectQuota::requireLimit);
        defaultQuota = Map.copyOf(defaultQuota);
    }

    /** The same with {@code iterations} PBKDF2 iterations (tests use few, to run fast). */
    public IdentitySettings withPasswordIterations(int iterations) {
        return new IdentitySettings(
                loginTokenLifetime,
                defaultTokenLifetime,
                maxTokenLifetime,
                minPasswordLength,
                iterations,
                defaultQuota);
    }

    /** The same with {@code quota} as a new project's limits. */
    public IdentitySettings withDefaultQuota(Map<QuotaResource, Long> quota) {
        return new IdentitySettings(
                loginTokenLifetime,
                defaultTokenLifetime,
                maxTokenLifetime,
                minPasswordLength,
                passwordIterations,
                quota);
    }
}
