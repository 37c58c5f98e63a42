package io.vireo.store.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.VolumeRepository;
import io.vireo.model.QuotaResource;
import io.vireo.model.Vm;
import io.vireo.model.Volume;
import io.vireo.model.VolumeAttachment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The volumes of {@link InMemoryStore}, guarded by the store's one lock, which it shares so that attaching volumes
 * to a new VM and detaching them from a deleted one happen in the same critical section as the VM's own change.
 */
final class InMemoryVolumes implements VolumeRepository {
    private final Object lock;
    private final InMemoryQuotas quotas;
    private final Map<UUID, Volume> volumes;

    InMemoryVolumes(Object lock, InMemoryQuotas quotas) {
        this.lock = requireNonNull(lock, "lock is null");
        this.quotas = requireNonNull(quotas, "quotas is null");
        this.volumes = new TrackedMap<>(quotas::volumeChanged);
    }

    @Override
    public Volume create(Volume volume) {
        synchronized (lock) {
            if (findByName(volume.projectId(), volume.name()).isPresent()) {
                throw VireoException.alreadyExists("volume", volume.name());
            }
            quotas.require(volume.projectId(), List.of(QuotaResource.of(volume)));
            volumes.put(volume.id(), volume);
            return volume;
        }
    }

    @Override
    public Optional<Volume> find(UUID id) {
        synchronized (lock) {
            return Optional.ofNullable(volumes.get(id));
        }
    }

    @Override
    public Optional<Volume> findByName(UUID projectId, String name) {
        synchronized (lock) {
            return volumes.values().stream()
                    .filter(v -> v.projectId().equals(projectId) && v.name().equals(name))
                    .findFirst();
        }
    }

    @Override
    public List<Volume> list(UUID projectId) {
        synchronized (lock) {
            return volumes.values().stream()
                    .filter(v -> v.projectId().equals(projectId))
                    .sorted(comparing(Volume::name))
                    .toList();
        }
    }

    @Override
    public DeleteOutcome delete(UUID projectId, String name) {
        synchronized (lock) {
            Optional<Volume> volume = findByName(projectId, name);
            if (volume.isEmpty()) {
                return DeleteOutcome.NOT_FOUND;
            }
            if (volume.get().attached()) {
                return DeleteOutcome.ATTACHED;
            }
            volumes.remove(volume.get().id());
            return DeleteOutcome.DELETED;
        }
    }

    /** Throws CONFLICT, changing nothing, unless every volume of the VM can be attached to it. Hold the lock. */
    void checkAttachable(Vm vm) {
        for (VolumeAttachment attachment : vm.guest().volumes()) {
            Volume volume = volumes.get(attachment.volumeId());
            if (volume == null || !volume.projectId().equals(vm.projectId())) {
                throw VireoException.conflict("volume " + attachment.volumeId() + " is gone");
            }
            volume.attachProblem().ifPresent(problem -> {
                throw VireoException.conflict(problem);
            });
        }
    }

    /** Attaches the VM's volumes, which {@link #checkAttachable} accepted. Hold the lock. */
    void attach(Vm vm) {
        for (VolumeAttachment attachment : vm.guest().volumes()) {
            Volume volume = requireNonNull(volumes.get(attachment.volumeId()), "volume is gone");
            volumes.put(volume.id(), with(volume, vm.id(), attachment.deleteOnTermination(), volume.hostId()));
        }
    }

    /**
     * Deletes the VM's delete-on-termination volumes and detaches the rest, whose data stays on {@code host} (the VM's
     * host; if null, the VM was never placed and a volume keeps the host it had).
     */
    void release(UUID vmId, @Nullable UUID host) {
        for (Volume volume : List.copyOf(volumes.values())) {
            if (!vmId.equals(volume.vmId())) {
                continue;
            }
            if (volume.deleteOnTermination()) {
                volumes.remove(volume.id());
            } else {
                // A VM that was never placed leaves the volume where its data was (if anywhere).
                volumes.put(volume.id(), with(volume, null, true, host != null ? host : volume.hostId()));
            }
        }
    }

    /** The names of the volumes that hold their data on {@code host}, in name order. Hold the lock. */
    List<String> namesOnHost(UUID host) {
        return volumes.values().stream()
                .filter(volume -> host.equals(volume.hostId()))
                .map(Volume::name)
                .sorted()
                .toList();
    }

    /** The VM's volumes now hold their data on {@code host} (the VM migrated there). Hold the lock. */
    void moveTo(UUID vmId, UUID host) {
        for (Volume volume : List.copyOf(volumes.values())) {
            if (vmId.equals(volume.vmId())) {
                volumes.put(volume.id(), with(volume, vmId, volume.deleteOnTermination(), host));
            }
        }
    }

    private static Volume with(Volume volume, @Nullable UUID vmId, boolean deleteOnTermination, @Nullable UUID host) {
        return new Volume(
                volume.id(),
                volume.projectId(),
                volume.name(),
                volume.createdAt(),
                volume.sizeGib(),
                vmId,
                deleteOnTermination,
                host);
    }
}
