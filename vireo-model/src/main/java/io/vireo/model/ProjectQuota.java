package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A project's quota: a limit per {@link QuotaResource} (absent: unlimited) and what the project uses now. Usage is
 * charged in the transaction that creates a VM or volume and released in the one that makes it DELETED or deletes it,
 * so it is exact, never an estimate.
 *
 * @param limits the limit of each limited resource; a resource not in the map is unlimited
 * @param used what the project holds of each resource (every resource is in the map)
 */
public record ProjectQuota(UUID projectId, Map<QuotaResource, Long> limits, Map<QuotaResource, Long> used) {
    /** The largest limit: far above any cloud, small enough that sums never overflow. */
    public static final long MAX_LIMIT = 1L << 50;

    public ProjectQuota {
        requireNonNull(projectId, "projectId is null");
        limits = copy(limits);
        used = copy(used);
        for (QuotaResource resource : QuotaResource.values()) {
            used.putIfAbsent(resource, 0L);
        }
        limits.forEach((resource, limit) -> requireLimit(resource, limit));
        limits = Collections.unmodifiableMap(limits);
        used = Collections.unmodifiableMap(used);
    }

    /** A project with no limits that uses nothing. */
    public static ProjectQuota unlimited(UUID projectId) {
        return new ProjectQuota(projectId, Map.of(), Map.of());
    }

    public OptionalLong limit(QuotaResource resource) {
        Long limit = limits.get(resource);
        return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
    }

    public long used(QuotaResource resource) {
        return used.getOrDefault(resource, 0L);
    }

    /**
     * The first resource that {@code charge} would take past its limit, or empty if it fits. A resource the charge
     * does not raise is never in the way, even above a limit lowered below what is used.
     */
    public Optional<QuotaResource> exceededBy(Map<QuotaResource, Long> charge) {
        for (Map.Entry<QuotaResource, Long> entry : charge.entrySet()) {
            Long limit = limits.get(entry.getKey());
            if (entry.getValue() > 0 && limit != null && used(entry.getKey()) + entry.getValue() > limit) {
                return Optional.of(entry.getKey());
            }
        }
        return Optional.empty();
    }

    public static void requireLimit(QuotaResource resource, long limit) {
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException(resource.key() + " limit must be 0-" + MAX_LIMIT + ": " + limit);
        }
    }

    private static Map<QuotaResource, Long> copy(Map<QuotaResource, Long> values) {
        Map<QuotaResource, Long> copy = new EnumMap<>(QuotaResource.class);
        copy.putAll(requireNonNull(values, "values is null"));
        return copy;
    }
}
