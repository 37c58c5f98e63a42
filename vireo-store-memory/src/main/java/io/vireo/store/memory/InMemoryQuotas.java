package io.vireo.store.memory;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.QuotaRepository;
import io.vireo.model.ProjectQuota;
import io.vireo.model.QuotaResource;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.model.Volume;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Projects' quotas in memory, charged as the PostgreSQL store's triggers charge them (V31): a VM when it is first put
 * and released when it becomes DELETED ({@link #vmChanged}), a volume when it is put and released when it is removed
 * ({@link #volumeChanged}); the maps call these on every write. A create checks with {@link #require} before it
 * writes anything, so a refused create changes nothing. Thread-safe: every call holds the store's one lock.
 */
final class InMemoryQuotas implements QuotaRepository {
    private final Object lock;
    private final Map<UUID, ProjectQuota> quotas = new HashMap<>();

    InMemoryQuotas(Object lock) {
        this.lock = requireNonNull(lock, "lock is null");
    }

    @Override
    public ProjectQuota find(UUID projectId) {
        synchronized (lock) {
            return quotas.getOrDefault(projectId, ProjectQuota.unlimited(projectId));
        }
    }

    @Override
    public ProjectQuota setLimits(UUID projectId, Map<QuotaResource, OptionalLong> changes) {
        changes.forEach((resource, limit) -> limit.ifPresent(value -> ProjectQuota.requireLimit(resource, value)));
        synchronized (lock) {
            ProjectQuota quota = find(projectId);
            Map<QuotaResource, Long> limits = new EnumMap<>(QuotaResource.class);
            limits.putAll(quota.limits());
            changes.forEach((resource, limit) -> {
                if (limit.isPresent()) {
                    limits.put(resource, limit.getAsLong());
                } else {
                    limits.remove(resource);
                }
            });
            ProjectQuota changed = new ProjectQuota(projectId, limits, quota.used());
            quotas.put(projectId, changed);
            return changed;
        }
    }

    /** A new project's quota. Hold the lock. */
    void create(UUID projectId, Map<QuotaResource, Long> limits) {
        quotas.put(projectId, new ProjectQuota(projectId, limits, Map.of()));
    }

    /** Forgets a deleted project's quota. Hold the lock. */
    void delete(UUID projectId) {
        quotas.remove(projectId);
    }

    /** Throws QUOTA_EXCEEDED unless the project has room for {@code charges} together. Hold the lock. */
    void require(UUID projectId, Iterable<Map<QuotaResource, Long>> charges) {
        Map<QuotaResource, Long> total = new EnumMap<>(QuotaResource.class);
        charges.forEach(charge -> charge.forEach((resource, amount) -> total.merge(resource, amount, Long::sum)));
        ProjectQuota quota = find(projectId);
        quota.exceededBy(total).ifPresent(resource -> {
            throw QuotaRepository.exceeded(
                    resource,
                    quota.limit(resource).orElseThrow(),
                    quota.used(resource),
                    total.getOrDefault(resource, 0L));
        });
    }

    /** Charges or releases a VM as the {@code vms} trigger does: put live for the first time, or made DELETED. */
    void vmChanged(@Nullable Vm before, @Nullable Vm after) {
        if (before == null && after != null && after.state() != VmState.DELETED) {
            charge(after.projectId(), QuotaResource.of(after), 1);
        } else if (before != null
                && before.state() != VmState.DELETED
                && (after == null || after.state() == VmState.DELETED)) {
            charge(before.projectId(), QuotaResource.of(before), -1);
        }
    }

    /** Charges a volume put for the first time, releases one removed. */
    void volumeChanged(@Nullable Volume before, @Nullable Volume after) {
        if (before == null && after != null) {
            charge(after.projectId(), QuotaResource.of(after), 1);
        } else if (before != null && after == null) {
            charge(before.projectId(), QuotaResource.of(before), -1);
        }
    }

    private void charge(UUID projectId, Map<QuotaResource, Long> charge, int sign) {
        ProjectQuota quota = find(projectId);
        Map<QuotaResource, Long> used = new EnumMap<>(QuotaResource.class);
        used.putAll(quota.used());
        charge.forEach((resource, amount) -> used.merge(resource, sign * amount, Long::sum));
        quotas.put(projectId, new ProjectQuota(projectId, quota.limits(), used));
    }
}
