package io.vireo.controller.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.controller.port.ClaimRepository;
import io.vireo.controller.port.ClaimRepository.ClaimOutcome;
import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.EventRepository;
import io.vireo.controller.port.HostRepository;
import io.vireo.controller.port.IdempotencyKey;
import io.vireo.controller.port.MigrationRepository;
import io.vireo.controller.port.Page;
import io.vireo.controller.port.Repositories;
import io.vireo.controller.port.ServerGroupRepository;
import io.vireo.controller.port.VmFilter;
import io.vireo.controller.port.VmRepository;
import io.vireo.controller.port.VmStatsRepository;
import io.vireo.model.CapacityPolicy;
import io.vireo.model.DesiredState;
import io.vireo.model.Event;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostReservation;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Migration;
import io.vireo.model.MigrationState;
import io.vireo.model.Resources;
import io.vireo.model.ServerGroup;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.model.VmStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Every store port in memory, with the same semantics as the PostgreSQL store (the shared contract tests check both).
 * Thread-safe: every method holds the store's one lock, which plays the part of a serializable transaction.
 */
public final class InMemoryStore {
    private final Object lock = new Object();
    private final IdGenerator ids;
    private final PlantedBugs bugs;
    private final Map<UUID, Host> hosts = new LinkedHashMap<>();
    private final Map<UUID, Vm> vms = new LinkedHashMap<>();
    /** By project id and key: the VM (a gang's first member) a create with the key made, and its fingerprint. */
    private final Map<String, KeyedCreate> idempotencyKeys = new HashMap<>();

    private final Map<UUID, Resources> allocations = new HashMap<>();
    private final List<Event> events = new ArrayList<>();
    private final Map<UUID, ServerGroup> serverGroups = new LinkedHashMap<>();
    private final Map<UUID, VmStats> vmStats = new HashMap<>();
    /** Pending VMs held by a placement pass: owner and until when (the hold is void after it). */
    private final Map<UUID, PlacementHold> placementHolds = new HashMap<>();

    private final InMemoryVolumes volumes = new InMemoryVolumes(lock);
    private final InMemoryFlavors flavors =
            new InMemoryFlavors(lock, id -> liveVms(vm -> vm.flavorId().equals(id)));
    private final InMemoryImages images =
            new InMemoryImages(lock, id -> liveVms(vm -> vm.imageId().equals(id)));
    private final Repositories repositories = new Repositories(
            new Hosts(),
            new Vms(),
            new Claims(),
            new Events(),
            flavors,
            images,
            new ServerGroups(),
            new Stats(),
            volumes);

    private final Map<UUID, Migration> migrations = new LinkedHashMap<>();
    private final MigrationRepository migrationRepository = new Migrations();

    /** A store whose host ids come from a fixed seed. */
    public InMemoryStore() {
        this(IdGenerator.seeded(new SplittableRandom(0)), PlantedBugs.NONE);
    }

    /**
     * A store whose host ids come from {@code ids}, with {@code bugs} planted: the simulator's mutations, which prove
     * that its invariant checkers can fail. Never anything but {@link PlantedBugs#NONE} outside the simulator.
     */
    public InMemoryStore(IdGenerator ids, PlantedBugs bugs) {
        this.ids = requireNonNull(ids, "ids is null");
        this.bugs = requireNonNull(bugs, "bugs is null");
    }

    /**
     * Bugs the simulator can plant at the store's real seams.
     *
     * @param claimIgnoresGeneration a claim skips its conditional write (the host's generation and free room)
     * @param releaseSkippedOnDelete deleting a VM marks it DELETED but keeps its allocation on the host
     */
    public record PlantedBugs(boolean claimIgnoresGeneration, boolean releaseSkippedOnDelete) {
        public static final PlantedBugs NONE = new PlantedBugs(false, false);
    }

    /** A consistent copy of what the invariant checkers read: hosts, VMs, allocations, server groups. */
    public record View(
            Map<UUID, Host> hosts,
            Map<UUID, Vm> vms,
            Map<UUID, Resources> allocations,
            Map<UUID, ServerGroup> groups) {}

    public View view() {
        synchronized (lock) {
            return new View(
                    new LinkedHashMap<>(hosts),
                    new LinkedHashMap<>(vms),
                    new LinkedHashMap<>(allocations),
                    new LinkedHashMap<>(serverGroups));
        }
    }

    public Repositories repositories() {
        return repositories;
    }

    /** How many VMs that are not DELETED match {@code test}; under the lock. */
    private long liveVms(java.util.function.Predicate<Vm> test) {
        return vms.values().stream()
                .filter(vm -> vm.state() != VmState.DELETED && test.test(vm))
                .count();
    }

    /** Throws NOT_FOUND unless the flavor and the image {@code vm} is made from exist; under the lock. */
    private void requireCatalog(Vm vm) {
        if (flavors.find(vm.flavorId()).isEmpty()) {
            throw VireoException.notFound("flavor", vm.flavorId().toString());
        }
        if (images.find(vm.imageId()).isEmpty()) {
            throw VireoException.notFound("image", vm.imageId().toString());
        }
    }

    /** Live migrations; not part of {@link Repositories}, which predates them. */
    public MigrationRepository migrations() {
        return migrationRepository;
    }

    /**
     * Whether placing {@code vm} on {@code hostId} (a claim, or the destination of its migration) breaks the hard rule
     * of its server group. The other live members count on their host and on the destination of their migration in
     * flight, where they may be any moment: anti-affinity is broken at {@code maxPerHost} members there, affinity by
     * any member elsewhere.
     */
    private boolean breaksGroupRule(Vm vm, UUID hostId) {
        UUID groupId = vm.constraints().serverGroupId();
        if (groupId == null) {
            return false;
        }
        ServerGroup group = serverGroups.get(groupId);
        if (group == null || !group.policy().isHard()) {
            return false;
        }
        long onHost = 0;
        boolean elsewhere = false;
        for (Vm member : vms.values()) {
            if (member.id().equals(vm.id())
                    || !groupId.equals(member.constraints().serverGroupId())
                    || member.state() == VmState.DELETED) {
                continue;
            }
            List<UUID> memberHosts = new ArrayList<>();
            if (member.hostId() != null) {
                memberHosts.add(member.hostId());
            }
            migrations.values().stream()
                    .filter(m -> m.vmId().equals(member.id()) && m.state().inFlight())
                    .forEach(m -> memberHosts.add(m.destinationHostId()));
            if (memberHosts.contains(hostId)) {
                onHost++;
            }
            elsewhere |= memberHosts.stream().anyMatch(other -> !other.equals(hostId));
        }
        return group.policy() == ServerGroupPolicy.AFFINITY ? elsewhere : onHost >= group.maxPerHost();
    }

    /** A placement pass's hold on a pending VM. */
    private record PlacementHold(UUID owner, Instant until) {}

    /** Listings are ordered by name, then by id in its canonical text form (PostgreSQL's uuid order). */
    private static final Comparator<Vm> LISTING_ORDER =
            comparing(Vm::name).thenComparing(vm -> vm.id().toString());

    /** Name, then id: unique and ordered as the listing is. */
    static String cursorOf(Vm vm) {
        return vm.name() + "/" + vm.id();
    }

    /** Whether {@code vm} comes after the VM {@code cursor} was made from, in listing order. */
    private static boolean after(Vm vm, String cursor) {
        int slash = cursor.lastIndexOf('/');
        int byName = vm.name().compareTo(cursor.substring(0, slash));
        return byName > 0 || (byName == 0 && vm.id().toString().compareTo(cursor.substring(slash + 1)) > 0);
    }

    private final class Hosts implements HostRepository {
        @Override
        public Host register(HostRegistration registration, CapacityPolicy defaults, Instant now) {
            synchronized (lock) {
                Optional<Host> known = findByName(registration.name());
                Host host = known.map(old -> reregistered(old, registration, defaults, now))
                        .orElseGet(() -> new Host(
                                ids.next(),
                                registration.name(),
                                now,
                                HostState.UP,
                                registration.capacity(),
                                Resources.ZERO,
                                1,
                                registration.capabilities(),
                                registration.driver(),
                                now,
                                HostUsage.NONE,
                                registration.reservation().applyTo(defaults),
                                false,
                                registration.reservation()));
                hosts.put(host.id(), host);
                return host;
            }
        }

        /**
         * A known host re-registered: an operator's policy is kept; else the defaults (with the agent's reservation)
         * if the allocation fits them, else the policy it had; the agent's reservation applies in every case but the
         * first. CONFLICT if the allocation exceeds the result, not counting the agent's own reservation.
         */
        private static Host reregistered(
                Host old, HostRegistration registration, CapacityPolicy defaults, Instant now) {
            HostReservation reported = registration.reservation();
            CapacityPolicy candidate = reported.applyTo(defaults);
            boolean keeps = old.capacityPolicyOverridden()
                    || candidate
                            .excess(registration.capacity(), old.allocated())
                            .isPresent();
            CapacityPolicy policy;
            HostReservation recorded;
            if (old.capacityPolicyOverridden()) {
                policy = old.capacityPolicy();
                recorded = reported;
            } else if (keeps) {
                policy = reported.applyTo(old.capacityPolicy());
                recorded = reported.orElse(old.agentReservation());
            } else {
                policy = candidate;
                recorded = reported;
            }
            CapacityPolicy bound =
                    old.capacityPolicyOverridden() ? policy : recorded.withoutReportedReservations(policy);
            Optional<String> excess = bound.excess(registration.capacity(), old.allocated());
            if (excess.isPresent()) {
                throw VireoException.conflict("host '" + registration.name()
                        + "' reports less capacity than is allocated on it: " + registration.capacity() + " ("
                        + excess.get() + ")");
            }
            return new Host(
                    old.id(),
                    old.name(),
                    old.createdAt(),
                    old.state() == HostState.MAINTENANCE ? HostState.MAINTENANCE : HostState.UP,
                    registration.capacity(),
                    old.allocated(),
                    old.resourceGeneration() + 1,
                    registration.capabilities(),
                    registration.driver(),
                    now,
                    old.usage(),
                    policy,
                    old.capacityPolicyOverridden(),
                    recorded);
        }

        @Override
        public Host setCapacityPolicy(UUID hostId, CapacityPolicy policy) {
            synchronized (lock) {
                Host old = hosts.get(hostId);
                if (old == null) {
                    throw VireoException.notFound("host", hostId.toString());
                }
                Optional<String> excess = policy.excess(old.capacity(), old.allocated());
                if (excess.isPresent()) {
                    throw VireoException.conflict(
                            "host '" + old.name() + "' has more allocated than that policy allows: " + excess.get());
                }
                Host host = old.withCapacityPolicy(policy, true);
                hosts.put(hostId, host);
                return host;
            }
        }

        @Override
        public Host resetCapacityPolicy(UUID hostId, CapacityPolicy defaults) {
            synchronized (lock) {
                Host old = hosts.get(hostId);
                if (old == null) {
                    throw VireoException.notFound("host", hostId.toString());
                }
                CapacityPolicy policy = old.agentReservation().applyTo(defaults);
                Optional<String> excess = policy.excess(old.capacity(), old.allocated());
                if (excess.isPresent()) {
                    throw VireoException.conflict("host '" + old.name()
                            + "' has more allocated than the server's default policy allows: " + excess.get());
                }
                Host host = old.withCapacityPolicy(policy, false);
                hosts.put(hostId, host);
                return host;
            }
        }

        @Override
        public Optional<Host> find(UUID id) {
            synchronized (lock) {
                return Optional.ofNullable(hosts.get(id));
            }
        }

        @Override
        public Optional<Host> findByName(String name) {
            synchronized (lock) {
                return hosts.values().stream()
                        .filter(h -> h.name().equals(name))
                        .findFirst();
            }
        }

        @Override
        public List<Host> list() {
            synchronized (lock) {
                return hosts.values().stream().sorted(comparing(Host::name)).toList();
            }
        }

        @Override
        public void recordHeartbeat(UUID hostId, HostUsage usage, Instant now) {
            synchronized (lock) {
                hosts.computeIfPresent(hostId, (id, h) -> h.withHeartbeat(now, usage));
            }
        }

        @Override
        public void updateState(UUID hostId, HostState state) {
            synchronized (lock) {
                hosts.computeIfPresent(hostId, (id, h) -> h.withState(state));
            }
        }
    }

    private final class Claims implements ClaimRepository {
        @Override
        public ClaimOutcome claim(
                UUID vmId, UUID hostId, long expectedHostGeneration, Resources resources, Instant now) {
            synchronized (lock) {
                Vm vm = vms.get(vmId);
                if (vm == null || !claimable(vm)) {
                    return ClaimOutcome.VM_CHANGED;
                }
                Host host = hosts.get(hostId);
                boolean conditional = !bugs.claimIgnoresGeneration();
                if (host == null
                        || (conditional
                                && (host.resourceGeneration() != expectedHostGeneration || !host.fits(resources)))) {
                    return ClaimOutcome.HOST_CHANGED;
                }
                if (breaksGroupRule(vm, hostId)) {
                    return ClaimOutcome.GROUP_RULE_BROKEN;
                }
                hosts.put(hostId, host.withAllocation(host.allocated().plus(resources)));
                allocations.put(vmId, resources);
                vms.put(vmId, vm.withPlacement(hostId, vm.epoch() + 1, VmState.SCHEDULED, null, now));
                return ClaimOutcome.CLAIMED;
            }
        }

        @Override
        public void releaseAndMarkDeleted(UUID vmId, Instant now) {
            synchronized (lock) {
                Vm vm = vms.get(vmId);
                if (vm == null) {
                    return;
                }
                Resources released = bugs.releaseSkippedOnDelete() ? null : allocations.remove(vmId);
                UUID hostId = vm.hostId();
                if (released != null && hostId != null) {
                    Host host = hosts.get(hostId);
                    if (host != null) {
                        hosts.put(hostId, host.withAllocation(host.allocated().minus(released)));
                    }
                }
                volumes.release(vmId, hostId);
                vms.put(vmId, vm.withStatus(VmState.DELETED, null, vm.generation(), null, now));
            }
        }

        @Override
        public ClaimOutcome claimGang(List<GangPlacement> members, Instant now) {
            synchronized (lock) {
                for (GangPlacement member : members) {
                    if (!claimable(vms.get(member.vmId()))) {
                        return ClaimOutcome.VM_CHANGED;
                    }
                }
                Map<UUID, Host> targets = new LinkedHashMap<>();
                Map<UUID, Resources> demandByHost = new HashMap<>();
                for (GangPlacement member : members) {
                    Host host = hosts.get(member.hostId());
                    if (host == null || host.resourceGeneration() != member.expectedHostGeneration()) {
                        return ClaimOutcome.HOST_CHANGED;
                    }
                    targets.put(host.id(), host);
                    demandByHost.merge(host.id(), member.resources(), Resources::plus);
                }
                for (Host host : targets.values()) {
                    if (!host.fits(demandByHost.getOrDefault(host.id(), Resources.ZERO))) {
                        return ClaimOutcome.HOST_CHANGED;
                    }
                }
                if (gangBreaksGroupRules(members)) {
                    return ClaimOutcome.GROUP_RULE_BROKEN;
                }
                for (Host host : targets.values()) {
                    Resources demand = demandByHost.getOrDefault(host.id(), Resources.ZERO);
                    hosts.put(host.id(), host.withAllocation(host.allocated().plus(demand)));
                }
                for (GangPlacement member : members) {
                    Vm vm = java.util.Objects.requireNonNull(vms.get(member.vmId()));
                    allocations.put(vm.id(), member.resources());
                    vms.put(vm.id(), vm.withPlacement(member.hostId(), vm.epoch() + 1, VmState.SCHEDULED, null, now));
                }
                return ClaimOutcome.CLAIMED;
            }
        }

        private static boolean claimable(@Nullable Vm vm) {
            return vm != null
                    && vm.hostId() == null
                    && vm.desiredState() != DesiredState.DELETED
                    && vm.state() == VmState.PENDING;
        }

        /** Whether the gang's members, added to their groups' placed members, break a group's hard rule. */
        private boolean gangBreaksGroupRules(List<GangPlacement> members) {
            Map<UUID, List<UUID>> newHostsByGroup = new HashMap<>();
            for (GangPlacement member : members) {
                Vm vm = vms.get(member.vmId());
                UUID groupId = vm == null ? null : vm.constraints().serverGroupId();
                if (groupId != null) {
                    newHostsByGroup
                            .computeIfAbsent(groupId, id -> new ArrayList<>())
                            .add(member.hostId());
                }
            }
            for (Map.Entry<UUID, List<UUID>> entry : newHostsByGroup.entrySet()) {
                ServerGroup group = serverGroups.get(entry.getKey());
                if (group == null || !group.policy().isHard()) {
                    continue;
                }
                // The gang's hosts, then each placed member's host and the destination of its migration in flight.
                List<UUID> memberHosts = new ArrayList<>(entry.getValue());
                for (Vm member : vms.values()) {
                    if (!entry.getKey().equals(member.constraints().serverGroupId())
                            || member.state() == VmState.DELETED) {
                        continue;
                    }
                    if (member.hostId() != null) {
                        memberHosts.add(member.hostId());
                    }
                    migrations.values().stream()
                            .filter(m ->
                                    m.vmId().equals(member.id()) && m.state().inFlight())
                            .forEach(m -> memberHosts.add(m.destinationHostId()));
                }
                boolean broken = group.policy() == ServerGroupPolicy.AFFINITY
                        ? memberHosts.stream().distinct().count() > 1
                        : entry.getValue().stream()
                                .anyMatch(host ->
                                        java.util.Collections.frequency(memberHosts, host) > group.maxPerHost());
                if (broken) {
                    return true;
                }
            }
            return false;
        }
    }

    private final class Migrations implements MigrationRepository {
        @Override
        public ClaimOutcome claim(Migration migration, long expectedDestinationGeneration) {
            synchronized (lock) {
                Vm vm = vms.get(migration.vmId());
                boolean migrating = migrations.values().stream()
                        .anyMatch(m ->
                                m.vmId().equals(migration.vmId()) && m.state().inFlight());
                if (vm == null
                        || !migration.sourceHostId().equals(vm.hostId())
                        || vm.epoch() != migration.sourceEpoch()
                        || vm.desiredState() == DesiredState.DELETED
                        || migrating) {
                    return ClaimOutcome.VM_CHANGED;
                }
                Host host = hosts.get(migration.destinationHostId());
                if (host == null
                        || host.resourceGeneration() != expectedDestinationGeneration
                        || !host.fits(migration.resources())) {
                    return ClaimOutcome.HOST_CHANGED;
                }
                if (breaksGroupRule(vm, host.id())) {
                    return ClaimOutcome.GROUP_RULE_BROKEN;
                }
                hosts.put(host.id(), host.withAllocation(host.allocated().plus(migration.resources())));
                migrations.put(migration.id(), migration);
                return ClaimOutcome.CLAIMED;
            }
        }

        @Override
        public boolean markMigrating(UUID migrationId, Instant now) {
            synchronized (lock) {
                Migration m = migrations.get(migrationId);
                if (m == null || m.state() != MigrationState.PREPARING) {
                    return false;
                }
                migrations.put(migrationId, with(m, MigrationState.MIGRATING, null, null, m.figures()));
                return true;
            }
        }

        @Override
        public boolean complete(UUID migrationId, Instant now) {
            synchronized (lock) {
                Migration m = migrations.get(migrationId);
                Vm vm = m == null ? null : vms.get(m.vmId());
                if (m == null
                        || !m.state().inFlight()
                        || vm == null
                        || !m.sourceHostId().equals(vm.hostId())
                        || vm.epoch() != m.sourceEpoch()) {
                    return false;
                }
                Resources allocation = allocations.getOrDefault(vm.id(), m.resources());
                Host source = hosts.get(m.sourceHostId());
                if (source != null) {
                    hosts.put(
                            source.id(),
                            source.withAllocation(source.allocated().minus(allocation)));
                }
                Host destination = hosts.get(m.destinationHostId());
                if (destination != null) {
                    Resources adjusted =
                            destination.allocated().minus(m.resources()).plus(allocation);
                    hosts.put(destination.id(), destination.withAllocation(adjusted));
                }
                allocations.put(vm.id(), allocation);
                vms.put(vm.id(), vm.withPlacement(m.destinationHostId(), vm.epoch() + 1, vm.state(), null, now));
                volumes.moveTo(vm.id(), m.destinationHostId());
                migrations.put(migrationId, with(m, MigrationState.COMPLETED, null, now, m.figures()));
                return true;
            }
        }

        @Override
        public boolean fail(UUID migrationId, String error, Instant now) {
            synchronized (lock) {
                Migration m = migrations.get(migrationId);
                if (m == null || !m.state().inFlight()) {
                    return false;
                }
                Host destination = hosts.get(m.destinationHostId());
                if (destination != null) {
                    hosts.put(
                            destination.id(),
                            destination.withAllocation(destination.allocated().minus(m.resources())));
                }
                migrations.put(migrationId, with(m, MigrationState.FAILED, error, now, m.figures()));
                return true;
            }
        }

        @Override
        public void recordFigures(UUID migrationId, Migration.Figures figures) {
            synchronized (lock) {
                Migration m = migrations.get(migrationId);
                if (m != null) {
                    migrations.put(migrationId, with(m, m.state(), m.error(), m.finishedAt(), figures));
                }
            }
        }

        @Override
        public Optional<Migration> find(UUID migrationId) {
            synchronized (lock) {
                return Optional.ofNullable(migrations.get(migrationId));
            }
        }

        @Override
        public List<Migration> listByVm(UUID vmId, int limit) {
            synchronized (lock) {
                List<Migration> newestFirst = new ArrayList<>(migrations.values().stream()
                        .filter(m -> m.vmId().equals(vmId))
                        .toList());
                java.util.Collections.reverse(newestFirst);
                return newestFirst.stream().limit(limit).toList();
            }
        }

        @Override
        public List<Migration> listInFlight() {
            synchronized (lock) {
                return migrations.values().stream()
                        .filter(m -> m.state().inFlight())
                        .toList();
            }
        }

        @Override
        public List<Migration> listInFlightByVms(Collection<UUID> vmIds) {
            if (vmIds.size() > MAX_VM_IDS) {
                throw new IllegalArgumentException("at most " + MAX_VM_IDS + " VM ids, got " + vmIds.size());
            }
            Set<UUID> wanted = Set.copyOf(vmIds);
            return listInFlight().stream()
                    .filter(m -> wanted.contains(m.vmId()))
                    .toList();
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

    /** What a create with an idempotency key made: the VM (a gang's first member) and the request's fingerprint. */
    private record KeyedCreate(UUID vmId, String fingerprint) {}

    private final class Vms implements VmRepository {
        @Override
        public Vm create(Vm vm, @Nullable IdempotencyKey idempotencyKey) {
            synchronized (lock) {
                Optional<Vm> existing = earlier(vm.projectId(), idempotencyKey);
                if (existing.isPresent()) {
                    return existing.get();
                }
                if (findByName(vm.projectId(), vm.name()).isPresent()) {
                    throw VireoException.alreadyExists("vm", vm.name());
                }
                requireCatalog(vm);
                UUID groupId = vm.constraints().serverGroupId();
                if (groupId != null && !serverGroups.containsKey(groupId)) {
                    throw VireoException.notFound("server group", groupId.toString());
                }
                volumes.checkAttachable(vm);
                volumes.attach(vm);
                vms.put(vm.id(), vm);
                record(vm, idempotencyKey);
                return vm;
            }
        }

        @Override
        public List<Vm> createGang(List<Vm> members, @Nullable IdempotencyKey idempotencyKey) {
            synchronized (lock) {
                Optional<Vm> existing = earlier(members.get(0).projectId(), idempotencyKey);
                if (existing.isPresent()) {
                    UUID gangId = existing.get().constraints().gangId();
                    return gangId == null ? List.of(existing.get()) : gangMembers(gangId);
                }
                for (Vm vm : members) {
                    if (findByName(vm.projectId(), vm.name()).isPresent()) {
                        throw VireoException.alreadyExists("vm", vm.name());
                    }
                    requireCatalog(vm);
                    UUID groupId = vm.constraints().serverGroupId();
                    if (groupId != null && !serverGroups.containsKey(groupId)) {
                        throw VireoException.notFound("server group", groupId.toString());
                    }
                }
                members.forEach(vm -> vms.put(vm.id(), vm));
                record(members.get(0), idempotencyKey);
                return List.copyOf(members);
            }
        }

        /** The VM an earlier create with the key made, if the request was the same; IDEMPOTENCY_KEY_REUSED if not. */
        private Optional<Vm> earlier(UUID projectId, @Nullable IdempotencyKey key) {
            KeyedCreate keyed = key == null ? null : idempotencyKeys.get(projectId + "/" + key.key());
            Vm existing = keyed == null ? null : vms.get(keyed.vmId());
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
                idempotencyKeys.put(vm.projectId() + "/" + key.key(), new KeyedCreate(vm.id(), key.fingerprint()));
            }
        }

        @Override
        public List<Vm> gangMembers(UUID gangId) {
            synchronized (lock) {
                return vms.values().stream()
                        .filter(v -> gangId.equals(v.constraints().gangId()))
                        .sorted(VmRepository.GANG_MEMBER_ORDER)
                        .toList();
            }
        }

        @Override
        public Optional<Vm> find(UUID id) {
            synchronized (lock) {
                return Optional.ofNullable(vms.get(id));
            }
        }

        @Override
        public Optional<Vm> findByName(UUID projectId, String name) {
            synchronized (lock) {
                return vms.values().stream()
                        .filter(v -> v.projectId().equals(projectId)
                                && v.name().equals(name)
                                && v.state() != VmState.DELETED)
                        .findFirst();
            }
        }

        @Override
        public Page<Vm> list(VmFilter filter) {
            synchronized (lock) {
                String cursor = filter.cursor();
                if (cursor != null && cursor.lastIndexOf('/') < 0) {
                    throw VireoException.invalid("cursor", "is not a cursor from a previous page");
                }
                List<Vm> matching = vms.values().stream()
                        .filter(v -> filter.projectId() == null || v.projectId().equals(filter.projectId()))
                        .filter(v ->
                                filter.state() == null ? v.state() != VmState.DELETED : v.state() == filter.state())
                        .filter(v -> filter.hostId() == null || filter.hostId().equals(v.hostId()))
                        .filter(v -> cursor == null || after(v, cursor))
                        .sorted(LISTING_ORDER)
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
            synchronized (lock) {
                return vms.values().stream()
                        .filter(v -> hostId.equals(v.hostId()) && v.state() != VmState.DELETED)
                        .toList();
            }
        }

        @Override
        public List<Vm> listPending(int limit) {
            synchronized (lock) {
                return vms.values().stream()
                        .filter(v -> v.state() == VmState.PENDING)
                        .sorted(comparing(Vm::createdAt))
                        .limit(limit)
                        .toList();
            }
        }

        @Override
        public List<Vm> takePending(UUID owner, int limit, Duration lease, Instant now) {
            synchronized (lock) {
                List<Vm> free = vms.values().stream()
                        .filter(v -> v.state() == VmState.PENDING && takeable(v.id(), owner, now))
                        .sorted(comparing(Vm::createdAt).thenComparing(v -> v.id().toString()))
                        .toList();
                java.util.Set<UUID> taken = new java.util.LinkedHashSet<>();
                for (Vm vm : free) {
                    if (taken.size() >= limit) {
                        break;
                    }
                    UUID gangId = vm.constraints().gangId();
                    if (gangId == null) {
                        taken.add(vm.id());
                    } else if (!taken.contains(vm.id())) {
                        List<Vm> pendingMembers = vms.values().stream()
                                .filter(v -> gangId.equals(v.constraints().gangId()) && v.state() == VmState.PENDING)
                                .toList();
                        if (pendingMembers.stream().allMatch(member -> takeable(member.id(), owner, now))) {
                            pendingMembers.forEach(member -> taken.add(member.id()));
                        }
                    }
                }
                PlacementHold hold = new PlacementHold(owner, now.plus(lease));
                taken.forEach(id -> placementHolds.put(id, hold));
                return taken.stream().map(vms::get).toList();
            }
        }

        private boolean takeable(UUID vmId, UUID owner, Instant now) {
            PlacementHold hold = placementHolds.get(vmId);
            return hold == null || hold.owner().equals(owner) || !hold.until().isAfter(now);
        }

        @Override
        public void releasePending(UUID owner, java.util.Collection<UUID> vmIds) {
            synchronized (lock) {
                for (UUID vmId : vmIds) {
                    PlacementHold hold = placementHolds.get(vmId);
                    if (hold != null && hold.owner().equals(owner)) {
                        placementHolds.remove(vmId);
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
            synchronized (lock) {
                Vm vm = vms.get(id);
                if (vm == null
                        || vm.generation() != expectedGeneration
                        || vm.epoch() != expectedEpoch
                        || vm.state() == VmState.DELETED) {
                    return false;
                }
                vms.put(
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
                                vm.guest()));
                return true;
            }
        }

        @Override
        public boolean updateStatus(
                UUID id,
                long expectedGeneration,
                VmState state,
                @Nullable String stateReason,
                long observedGeneration,
                @Nullable Instant startedAt,
                Instant now) {
            synchronized (lock) {
                Vm vm = vms.get(id);
                if (vm == null || vm.generation() != expectedGeneration || vm.state() == VmState.DELETED) {
                    return false;
                }
                vms.put(id, vm.withStatus(state, stateReason, observedGeneration, startedAt, now));
                return true;
            }
        }

        @Override
        public boolean markUnplaceable(UUID id, long expectedGeneration, String reason, Instant now) {
            synchronized (lock) {
                Vm vm = vms.get(id);
                if (vm == null
                        || vm.generation() != expectedGeneration
                        || vm.hostId() != null
                        || vm.state() != VmState.PENDING) {
                    return false;
                }
                vms.put(id, vm.withStatus(VmState.ERROR, reason, vm.observedGeneration(), null, now));
                return true;
            }
        }

        @Override
        public Map<VmState, Long> countByState() {
            synchronized (lock) {
                Map<VmState, Long> counts = new EnumMap<>(VmState.class);
                vms.values().stream()
                        .filter(v -> v.state() != VmState.DELETED)
                        .forEach(v -> counts.merge(v.state(), 1L, Long::sum));
                return counts;
            }
        }
    }

    private final class Events implements EventRepository {
        @Override
        public Event append(Event event) {
            synchronized (lock) {
                Event stored = new Event(
                        events.size() + 1L,
                        event.createdAt(),
                        event.objectKind(),
                        event.objectId(),
                        event.objectName(),
                        event.type(),
                        event.message(),
                        event.projectId(),
                        event.correlationId());
                events.add(stored);
                return stored;
            }
        }

        @Override
        public List<Event> list(EventFilter filter) {
            synchronized (lock) {
                return events.stream()
                        .filter(e -> e.sequence() > filter.afterSequence())
                        .filter(e ->
                                filter.objectKind() == null || e.objectKind().equals(filter.objectKind()))
                        .filter(e -> filter.objectId() == null || e.objectId().equals(filter.objectId()))
                        .filter(e ->
                                filter.projectId() == null || filter.projectId().equals(e.projectId()))
                        .limit(filter.limit())
                        .toList();
            }
        }
    }

    private final class ServerGroups implements ServerGroupRepository {
        @Override
        public ServerGroup create(ServerGroup group) {
            synchronized (lock) {
                if (findByName(group.projectId(), group.name()).isPresent()) {
                    throw VireoException.alreadyExists("server group", group.name());
                }
                serverGroups.put(group.id(), group);
                return group;
            }
        }

        @Override
        public Optional<ServerGroup> find(UUID id) {
            synchronized (lock) {
                return Optional.ofNullable(serverGroups.get(id));
            }
        }

        @Override
        public Optional<ServerGroup> findByName(UUID projectId, String name) {
            synchronized (lock) {
                return serverGroups.values().stream()
                        .filter(g -> g.projectId().equals(projectId) && g.name().equals(name))
                        .findFirst();
            }
        }

        @Override
        public List<ServerGroup> list(UUID projectId) {
            synchronized (lock) {
                return serverGroups.values().stream()
                        .filter(g -> g.projectId().equals(projectId))
                        .sorted(comparing(ServerGroup::name))
                        .toList();
            }
        }

        @Override
        public List<Vm> members(UUID groupId) {
            synchronized (lock) {
                return vms.values().stream()
                        .filter(v -> groupId.equals(v.constraints().serverGroupId()) && v.state() != VmState.DELETED)
                        .sorted(LISTING_ORDER)
                        .toList();
            }
        }

        @Override
        public boolean delete(UUID groupId) {
            synchronized (lock) {
                ServerGroup group = serverGroups.get(groupId);
                if (group == null) {
                    return false;
                }
                List<Vm> live = members(groupId);
                if (!live.isEmpty()) {
                    throw VireoException.conflict("server group '" + group.name() + "' has " + live.size()
                            + " live member" + (live.size() == 1 ? "" : "s") + "; delete them first");
                }
                serverGroups.remove(groupId);
                return true;
            }
        }
    }

    private final class Stats implements VmStatsRepository {
        @Override
        public void record(UUID hostId, List<VmStats> samples, Instant receivedAt) {
            synchronized (lock) {
                for (VmStats sample : samples) {
                    Vm vm = vms.get(sample.vmId());
                    if (vm != null && hostId.equals(vm.hostId())) {
                        vmStats.put(sample.vmId(), sample);
                    }
                }
            }
        }

        @Override
        public Optional<VmStats> find(UUID vmId) {
            synchronized (lock) {
                return Optional.ofNullable(vmStats.get(vmId));
            }
        }
    }
}
