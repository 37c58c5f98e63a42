package io.vireo.api;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.MigrationRepository;
import io.vireo.model.Migration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link MigrationRepository} that counts the reads the API's VM views make, passing everything on. */
final class CountingMigrationRepository implements MigrationRepository {
    private final MigrationRepository delegate;
    /** Calls of {@link #listInFlightByVms}. */
    final AtomicInteger inFlightByVmsReads = new AtomicInteger();
    /** Calls of {@link #listByVm}, {@link #find} and {@link #listInFlight}: reads one VM at a time, or all. */
    final AtomicInteger otherReads = new AtomicInteger();

    CountingMigrationRepository(MigrationRepository delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    @Override
    public boolean markMigrating(UUID migrationId, Instant now) {
        return delegate.markMigrating(migrationId, now);
    }

    @Override
    public boolean complete(UUID migrationId, Instant now) {
        return delegate.complete(migrationId, now);
    }

    @Override
    public boolean fail(UUID migrationId, String error, Instant now) {
        return delegate.fail(migrationId, error, now);
    }

    @Override
    public boolean failAndRenew(UUID migrationId, String error, Instant now) {
        return delegate.failAndRenew(migrationId, error, now);
    }

    @Override
    public void recordFigures(UUID migrationId, Migration.Figures figures) {
        delegate.recordFigures(migrationId, figures);
    }

    @Override
    public Optional<Migration> find(UUID migrationId) {
        otherReads.incrementAndGet();
        return delegate.find(migrationId);
    }

    @Override
    public List<Migration> listByVm(UUID vmId, int limit) {
        otherReads.incrementAndGet();
        return delegate.listByVm(vmId, limit);
    }

    @Override
    public List<Migration> listFailedSince(Instant since, int limit) {
        otherReads.incrementAndGet();
        return delegate.listFailedSince(since, limit);
    }

    @Override
    public List<Migration> listInFlight() {
        otherReads.incrementAndGet();
        return delegate.listInFlight();
    }

    @Override
    public List<Migration> listInFlightByVms(Collection<UUID> vmIds) {
        inFlightByVmsReads.incrementAndGet();
        return delegate.listInFlightByVms(vmIds);
    }
}
