package io.vireo.store.memory;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.MigrationRepository;
import io.vireo.model.Host;
import io.vireo.model.Migration;
import io.vireo.model.MigrationState;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Live migrations in memory, and the writes that settle what they hold: a migration is recorded by the claim of its
 * destination ({@link InMemoryClaims}, a {@code HoldForMigration}); {@link #complete} moves the VM, its allocation and
 * its volumes' data to the destination, {@link #fail} releases the destination's hold. At most one migration of a VM
 * is in flight. Thread-safe: every call holds the state's lock.
 */
final class InMemoryMigrations implements MigrationRepository {
    private final MemoryState memory;
    private final InMemoryVolumes volumes;

    InMemoryMigrations(MemoryState memory, InMemoryVolumes volumes) {
        this.memory = requireNonNull(memory, "memory is null");
        this.volumes = requireNonNull(volumes, "volumes is null");
    }

    @Override
    public boolean markMigrating(UUID migrationId, Instant now) {
        synchronized (memory.lock) {
            Migration m = memory.migrations.get(migrationId);
            if (m == null || m.state() != MigrationState.PREPARING) {
                return false;
            }
            memory.migrations.put(migrationId, with(m, MigrationState.MIGRATING, null, null, m.figures()));
            return true;
        }
    }

    @Override
    public boolean complete(UUID migrationId, Instant now) {
        synchronized (memory.lock) {
            Migration m = memory.migrations.get(migrationId);
            Vm vm = m == null ? null : memory.vms.get(m.vmId());
            if (m == null || vm == null) {
                return false;
            }
            boolean once = !memory.bugs.completesMigrationTwice();
            if (once
                    && (!m.state().inFlight()
                            || !m.sourceHostId().equals(vm.hostId())
                            || vm.epoch() != m.sourceEpoch())) {
                return false;
            }
            Resources allocation = memory.allocations.getOrDefault(vm.id(), m.resources());
            Host source = memory.hosts.get(m.sourceHostId());
            if (source != null) {
                memory.hosts.put(
                        source.id(), source.withAllocation(source.allocated().minus(allocation)));
            }
            Host destination = memory.hosts.get(m.destinationHostId());
            if (destination != null) {
                Resources adjusted =
                        destination.allocated().minus(m.resources()).plus(allocation);
                memory.hosts.put(destination.id(), destination.withAllocation(adjusted));
            }
            memory.allocations.put(vm.id(), allocation);
            memory.vms.put(vm.id(), vm.withPlacement(m.destinationHostId(), vm.epoch() + 1, vm.state(), null, now));
            volumes.moveTo(vm.id(), m.destinationHostId());
            memory.migrations.put(migrationId, with(m, MigrationState.COMPLETED, null, now, m.figures()));
            return true;
        }
    }

    @Override
    public boolean fail(UUID migrationId, String error, Instant now) {
        return fail(migrationId, error, false, now);
    }

    @Override
    public boolean failAndRenew(UUID migrationId, String error, Instant now) {
        return fail(migrationId, error, true, now);
    }

    private boolean fail(UUID migrationId, String error, boolean renew, Instant now) {
        synchronized (memory.lock) {
            Migration m = memory.migrations.get(migrationId);
            if (m == null || !m.state().inFlight()) {
                return false;
            }
            Host destination = memory.hosts.get(m.destinationHostId());
            if (destination != null) {
                memory.hosts.put(
                        destination.id(),
                        destination.withAllocation(destination.allocated().minus(m.resources())));
            }
            memory.migrations.put(migrationId, with(m, MigrationState.FAILED, error, now, m.figures()));
            Vm vm = memory.vms.get(m.vmId());
            if (renew && vm != null && m.sourceHostId().equals(vm.hostId()) && vm.epoch() == m.sourceEpoch()) {
                memory.vms.put(
                        vm.id(), vm.withPlacement(vm.hostId(), vm.epoch() + 1, vm.state(), vm.stateReason(), now));
            }
            return true;
        }
    }

    @Override
    public void recordFigures(UUID migrationId, Migration.Figures figures) {
        synchronized (memory.lock) {
            Migration m = memory.migrations.get(migrationId);
            if (m != null) {
                memory.migrations.put(migrationId, with(m, m.state(), m.error(), m.finishedAt(), figures));
            }
        }
    }

    @Override
    public Optional<Migration> find(UUID migrationId) {
        synchronized (memory.lock) {
            return Optional.ofNullable(memory.migrations.get(migrationId));
        }
    }

    @Override
    public List<Migration> listByVm(UUID vmId, int limit) {
        synchronized (memory.lock) {
            List<Migration> newestFirst = new ArrayList<>(memory.migrations.values().stream()
                    .filter(m -> m.vmId().equals(vmId))
                    .toList());
            Collections.reverse(newestFirst);
            return newestFirst.stream().limit(limit).toList();
        }
    }

    @Override
    public List<Migration> listFailedSince(Instant since, int limit) {
        synchronized (memory.lock) {
            return memory.migrations.values().stream()
                    .filter(m -> m.state() == MigrationState.FAILED)
                    .filter(m -> m.finishedAt() != null && !m.finishedAt().isBefore(since))
                    .sorted(java.util.Comparator.comparing((Migration m) -> m.finishedAt())
                            .reversed()
                            .thenComparing(m -> m.id().toString()))
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public List<Migration> listInFlight() {
        synchronized (memory.lock) {
            return memory.migrations.values().stream()
                    .filter(m -> m.state().inFlight())
                    .toList();
        }
    }

    @Override
    public List<Migration> listInFlightByVms(Collection<UUID> vmIds) {
        if (vmIds.size() > MAX_VM_IDS) {
            throw new IllegalArgumentException("at most " + MAX_VM_IDS + " VM memory.ids, got " + vmIds.size());
        }
        Set<UUID> wanted = Set.copyOf(vmIds);
        return listInFlight().stream().filter(m -> wanted.contains(m.vmId())).toList();
    }

    private static Migration with(
            Migration m,
            MigrationState state,
            @Nullable String error,
            @Nullable Instant finishedAt,
            Migration.@Nullable Figures figures) {
        return new Migration(
                m.id(),
                m.vmId(),
                m.sourceHostId(),
                m.destinationHostId(),
                state,
                m.resources(),
                m.sourceEpoch(),
                error,
                m.correlationId(),
                m.requestedAt(),
                finishedAt,
                figures);
    }
}
