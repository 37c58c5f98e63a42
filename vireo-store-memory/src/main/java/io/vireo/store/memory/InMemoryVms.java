package io.vireo.store.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.IdempotencyKey;
import io.vireo.controller.port.Page;
import io.vireo.controller.port.VmFilter;
import io.vireo.controller.port.VmRepository;
import io.vireo.model.DesiredState;
import io.vireo.model.QuotaResource;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * VMs in memory: creates (single and gang, idempotent per project and key, with the request's fingerprint), listings in name-then-id order with the
 * cursor the PostgreSQL store uses, placement holds, and conditional spec and status writes. A VM's placement changes
 * only through {@link InMemoryClaims} and {@link InMemoryMigrations}. Thread-safe: every call holds the state's lock,
 * and a create attaches its volumes in the same critical section.
 */
final class InMemoryVms implements VmRepository {
    private final MemoryState memory;
    private final InMemoryVolumes volumes;
    private final InMemoryImages images;

    InMemoryVms(MemoryState memory, InMemoryVolumes volumes, InMemoryImages images) {
        this.memory = requireNonNull(memory, "memory is null");
        this.volumes = requireNonNull(volumes, "volumes is null");
        this.images = requireNonNull(images, "images is null");
    }

    @Override
    public Vm create(Vm vm, @Nullable IdempotencyKey idempotencyKey) {
        synchronized (memory.lock) {
            Optional<Vm> existing = earlier(vm.projectId(), idempotencyKey);
            if (existing.isPresent()) {
                return existing.get();
            }
            requireCreatable(vm);
            volumes.checkAttachable(vm);
            memory.quotas.require(vm.projectId(), List.of(QuotaResource.of(vm)));
            volumes.attach(vm);
            memory.vms.put(vm.id(), vm);
            record(vm, idempotencyKey);
            return vm;
        }
    }

    @Override
    public List<Vm> createGang(List<Vm> members, @Nullable IdempotencyKey idempotencyKey) {
        synchronized (memory.lock) {
            Optional<Vm> existing = earlier(members.get(0).projectId(), idempotencyKey);
            if (existing.isPresent()) {
                UUID gangId = existing.get().constraints().gangId();
                return gangId == null ? List.of(existing.get()) : gangMembers(gangId);
            }
            members.forEach(this::requireCreatable);
            memory.quotas.require(
                    members.get(0).projectId(),
                    members.stream().map(QuotaResource::of).toList());
            members.forEach(vm -> memory.vms.put(vm.id(), vm));
            record(members.get(0), idempotencyKey);
            return List.copyOf(members);
        }
    }

    /**
     * Throws ALREADY_EXISTS if a live VM of the project has the name, NOT_FOUND if the VM's flavor, image or server
     * group is gone. Call holding the lock: a flavor or image is not deleted while the lock is held.
     */
    private void requireCreatable(Vm vm) {
        if (findByName(vm.projectId(), vm.name()).isPresent()) {
            throw VireoException.alreadyExists("vm", vm.name());
        }
        if (!memory.flavors.containsKey(vm.flavorId())) {
            throw VireoException.notFound("flavor", vm.flavorId().toString());
        }
        if (images.find(vm.imageId()).isEmpty()) {
            throw VireoException.notFound("image", vm.imageId().toString());
        }
        UUID groupId = vm.constraints().serverGroupId();
        if (groupId != null && !memory.serverGroups.containsKey(groupId)) {
            throw VireoException.notFound("server group", groupId.toString());
        }
    }

    /** The VM an earlier create with the key made, if the request was the same; IDEMPOTENCY_KEY_REUSED if not. */
    private Optional<Vm> earlier(UUID projectId, @Nullable IdempotencyKey key) {
        MemoryState.KeyedCreate keyed = key == null ? null : memory.idempotencyKeys.get(projectId + "/" + key.key());
        Vm existing = keyed == null ? null : memory.vms.get(keyed.vmId());
        if (key == null || keyed == null || existing == null) {
            return Optional.empty();
        }
        if (!key.sameRequestAs(keyed.fingerprint())) {
            throw key.reusedBy(existing);
        }
        return Optional.of(existing);
    }

    private void record(Vm vm, @Nullable IdempotencyKey key) {
        if (key != null) {
            memory.idempotencyKeys.put(
                    vm.projectId() + "/" + key.key(), new MemoryState.KeyedCreate(vm.id(), key.fingerprint()));
        }
    }

    @Override
    public List<Vm> gangMembers(UUID gangId) {
        synchronized (memory.lock) {
            return memory.vms.values().stream()
                    .filter(v -> gangId.equals(v.constraints().gangId()))
                    .sorted(VmRepository.GANG_MEMBER_ORDER)
                    .toList();
        }
    }

    @Override
    public Optional<Vm> find(UUID id) {
        synchronized (memory.lock) {
            return Optional.ofNullable(memory.vms.get(id));
        }
    }

    @Override
    public Optional<Vm> findByName(UUID projectId, String name) {
        synchronized (memory.lock) {
            return memory.vms.values().stream()
                    .filter(v ->
                            v.projectId().equals(projectId) && v.name().equals(name) && v.state() != VmState.DELETED)
                    .findFirst();
        }
    }

    @Override
    public Page<Vm> list(VmFilter filter) {
        synchronized (memory.lock) {
            String cursor = filter.cursor();
            if (cursor != null && cursor.lastIndexOf('/') < 0) {
                throw VireoException.invalid("cursor", "is not a cursor from a previous page");
            }
            List<Vm> matching = memory.vms.values().stream()
                    .filter(v -> filter.projectId() == null || v.projectId().equals(filter.projectId()))
                    .filter(v -> filter.state() == null ? v.state() != VmState.DELETED : v.state() == filter.state())
                    .filter(v -> filter.hostId() == null || filter.hostId().equals(v.hostId()))
                    .filter(v -> cursor == null || after(v, cursor))
                    .sorted(MemoryState.LISTING_ORDER)
                    .limit(filter.limit() + 1L)
                    .toList();
            if (matching.size() <= filter.limit()) {
                return new Page<>(matching, null);
            }
            List<Vm> page = matching.subList(0, filter.limit());
            return new Page<>(page, cursorOf(page.get(page.size() - 1)));
        }
    }

    @Override
    public List<Vm> listByHost(UUID hostId) {
        synchronized (memory.lock) {
            return memory.vms.values().stream()
                    .filter(v -> hostId.equals(v.hostId()) && v.state() != VmState.DELETED)
                    .toList();
        }
    }

    /** HA priority, highest first, then the oldest; as the PostgreSQL store orders them. */
    private static final java.util.Comparator<Vm> PENDING_ORDER =
            comparing((Vm v) -> -v.ha().priority()).thenComparing(Vm::createdAt).thenComparing(v -> v.id().toString());

    @Override
    public List<Vm> listUnsettled(Instant changedBefore, int limit) {
        synchronized (memory.lock) {
            return memory.vms.values().stream()
                    .filter(v -> !v.state().settled() && v.updatedAt().isBefore(changedBefore))
                    .sorted(comparing(Vm::updatedAt).thenComparing(v -> v.id().toString()))
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public List<Vm> listPending(int limit) {
        synchronized (memory.lock) {
            return memory.vms.values().stream()
                    .filter(v -> v.state() == VmState.PENDING)
                    .sorted(PENDING_ORDER)
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public List<Vm> takePending(UUID owner, int limit, Duration lease, Instant now) {
        synchronized (memory.lock) {
            List<Vm> free = memory.vms.values().stream()
                    .filter(v -> v.state() == VmState.PENDING && takeable(v.id(), owner, now))
                    .sorted(PENDING_ORDER)
                    .toList();
            Set<UUID> taken = new LinkedHashSet<>();
            for (Vm vm : free) {
                if (taken.size() >= limit) {
                    break;
                }
                UUID gangId = vm.constraints().gangId();
                if (gangId == null) {
                    taken.add(vm.id());
                } else if (!taken.contains(vm.id())) {
                    List<Vm> pendingMembers = memory.vms.values().stream()
                            .filter(v -> gangId.equals(v.constraints().gangId()) && v.state() == VmState.PENDING)
                            .toList();
                    if (pendingMembers.stream().allMatch(member -> takeable(member.id(), owner, now))) {
                        pendingMembers.forEach(member -> taken.add(member.id()));
                    }
                }
            }
            MemoryState.PlacementHold hold = new MemoryState.PlacementHold(owner, now.plus(lease));
            taken.forEach(id -> memory.placementHolds.put(id, hold));
            return taken.stream().map(memory.vms::get).toList();
        }
    }

    private boolean takeable(UUID vmId, UUID owner, Instant now) {
        MemoryState.PlacementHold hold = memory.placementHolds.get(vmId);
        return hold == null || hold.owner().equals(owner) || !hold.until().isAfter(now);
    }

    @Override
    public void releasePending(UUID owner, Collection<UUID> vmIds) {
        synchronized (memory.lock) {
            for (UUID vmId : vmIds) {
                MemoryState.PlacementHold hold = memory.placementHolds.get(vmId);
                if (hold != null && hold.owner().equals(owner)) {
                    memory.placementHolds.remove(vmId);
                }
            }
        }
    }

    @Override
    public boolean updateSpec(
            UUID id,
            long expectedGeneration,
            long expectedEpoch,
            long newGeneration,
            DesiredState desiredState,
            long rebootCount,
            VmState state,
            @Nullable String stateReason,
            Instant now) {
        synchronized (memory.lock) {
            Vm vm = memory.vms.get(id);
            if (vm == null
                    || vm.generation() != expectedGeneration
                    || vm.epoch() != expectedEpoch
                    || vm.state() == VmState.DELETED) {
                return false;
            }
            memory.vms.put(
                    id,
                    new Vm(
                            vm.id(),
                            vm.projectId(),
                            vm.name(),
                            vm.createdAt(),
                            vm.flavorId(),
                            vm.imageId(),
                            vm.resources(),
                            newGeneration,
                            desiredState,
                            rebootCount,
                            vm.hostId(),
                            vm.epoch(),
                            state,
                            stateReason,
                            vm.observedGeneration(),
                            vm.startedAt(),
                            now,
                            vm.constraints(),
                            vm.guest(),
                            vm.ha()));
            return true;
        }
    }

    @Override
    public boolean updateStatus(
            UUID id,
            long expectedGeneration,
            long expectedEpoch,
            VmState state,
            @Nullable String stateReason,
            long observedGeneration,
            @Nullable Instant startedAt,
            Instant now) {
        synchronized (memory.lock) {
            Vm vm = memory.vms.get(id);
            if (vm == null
                    || vm.generation() != expectedGeneration
                    || vm.epoch() != expectedEpoch
                    || vm.state() == VmState.DELETED) {
                return false;
            }
            memory.vms.put(id, vm.withStatus(state, stateReason, observedGeneration, startedAt, now));
            return true;
        }
    }

    @Override
    public boolean markUnplaceable(UUID id, long expectedGeneration, String reason, Instant now) {
        synchronized (memory.lock) {
            Vm vm = memory.vms.get(id);
            if (vm == null
                    || vm.generation() != expectedGeneration
                    || vm.hostId() != null
                    || vm.state() != VmState.PENDING) {
                return false;
            }
            memory.vms.put(id, vm.withStatus(VmState.ERROR, reason, vm.observedGeneration(), null, now));
            return true;
        }
    }

    @Override
    public Map<VmState, Long> countByState() {
        synchronized (memory.lock) {
            Map<VmState, Long> counts = new EnumMap<>(VmState.class);
            memory.vms.values().stream()
                    .filter(v -> v.state() != VmState.DELETED)
                    .forEach(v -> counts.merge(v.state(), 1L, Long::sum));
            return counts;
        }
    }

    @Override
    public Map<UUID, Map<VmState, Long>> countByHostAndState() {
        synchronized (memory.lock) {
            Map<UUID, Map<VmState, Long>> counts = new java.util.HashMap<>();
            for (Vm vm : memory.vms.values()) {
                UUID hostId = vm.hostId();
                if (vm.state() != VmState.DELETED && hostId != null) {
                    counts.computeIfAbsent(hostId, host -> new EnumMap<>(VmState.class))
                            .merge(vm.state(), 1L, Long::sum);
                }
            }
            return counts;
        }
    }

    @Override
    public ReconcileBacklog reconcileBacklog() {
        synchronized (memory.lock) {
            long count = 0;
            Instant oldest = null;
            for (Vm vm : memory.vms.values()) {
                if (vm.state() != VmState.DELETED
                        && vm.state() != VmState.ERROR
                        && vm.observedGeneration() < vm.generation()) {
                    count++;
                    oldest = oldest == null || vm.updatedAt().isBefore(oldest) ? vm.updatedAt() : oldest;
                }
            }
            return new ReconcileBacklog(count, oldest);
        }
    }

    /** Name, then id: unique and ordered as the listing is. */
    private static String cursorOf(Vm vm) {
        return vm.name() + "/" + vm.id();
    }

    /** Whether {@code vm} comes after the VM {@code cursor} was made from, in listing order. */
    private static boolean after(Vm vm, String cursor) {
        int slash = cursor.lastIndexOf('/');
        int byName = vm.name().compareTo(cursor.substring(0, slash));
        return byName > 0 || (byName == 0 && vm.id().toString().compareTo(cursor.substring(slash + 1)) > 0);
    }
}
