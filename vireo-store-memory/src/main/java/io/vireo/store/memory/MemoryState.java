package io.vireo.store.memory;

import static java.util.Comparator.comparing;
import static java.util.Objects.requireNonNull;

import io.vireo.common.IdGenerator;
import io.vireo.model.ApiToken;
import io.vireo.model.Event;
import io.vireo.model.Flavor;
import io.vireo.model.Host;
import io.vireo.model.Migration;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.Role;
import io.vireo.model.ServerGroup;
import io.vireo.model.User;
import io.vireo.model.UserKind;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.model.VmStats;
import io.vireo.store.memory.InMemoryStore.PlantedBugs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * What the repositories of one {@link InMemoryStore} share: the maps that the PostgreSQL store keeps in tables, and
 * the one lock that guards them all (images and volumes keep their own maps under the same lock).
 *
 * <p>Threading: every read and write of a map holds {@link #lock} for the whole port call, which plays the part of a
 * serializable transaction; a repository calling another's package-private helpers does so holding it already (the
 * lock is reentrant). Insertion-ordered maps keep listings and the simulator's runs deterministic.
 */
final class MemoryState {
    /** Listings are ordered by name, then by id in its canonical text form (PostgreSQL's uuid order). */
    static final Comparator<Vm> LISTING_ORDER =
            comparing(Vm::name).thenComparing(vm -> vm.id().toString());

    final Object lock = new Object();
    final IdGenerator ids;
    final PlantedBugs bugs;
    final TrackedMap<UUID, Host> hosts = new TrackedMap<>();
    /** Deleted hosts as they were when deleted, kept for the history that names them; never in {@link #hosts}. */
    final Map<UUID, Host> deletedHosts = new LinkedHashMap<>();

    /** When each host's fence guard last renewed its lease; absent for a host without a guard. */
    final Map<UUID, Instant> leaseRenewals = new HashMap<>();

    final Map<UUID, io.vireo.model.HostDrain> drains = new HashMap<>();
    /** Projects' quotas, charged by every write of {@link #vms} and of the volumes. */
    final InMemoryQuotas quotas;

    final TrackedMap<UUID, Vm> vms;
    /** By project id + "/" + key: the VM (a gang's first member) a create with the key made, and its fingerprint. */
    final Map<String, KeyedCreate> idempotencyKeys = new HashMap<>();
    /** What each placed VM holds on its host: what its release frees. */
    final Map<UUID, Resources> allocations = new HashMap<>();

    final List<Event> events = new ArrayList<>();
    final Map<UUID, Flavor> flavors = new LinkedHashMap<>();
    final Map<UUID, ServerGroup> serverGroups = new LinkedHashMap<>();
    final Map<UUID, VmStats> vmStats = new HashMap<>();
    /** Pending VMs held by a placement pass: owner and until when (the hold is void after it). */
    final Map<UUID, PlacementHold> placementHolds = new HashMap<>();
    /** Every migration, in the order requested. */
    final TrackedMap<UUID, Migration> migrations = new TrackedMap<>();

    final Map<UUID, Project> projects = new LinkedHashMap<>();
    final Map<UUID, User> users = new LinkedHashMap<>();
    /** Password hashes by user id; service accounts have none. */
    final Map<UUID, String> passwordHashes = new HashMap<>();

    final Map<UUID, ApiToken> tokens = new LinkedHashMap<>();

    MemoryState(IdGenerator ids, PlantedBugs bugs) {
        this.ids = requireNonNull(ids, "ids is null");
        this.bugs = requireNonNull(bugs, "bugs is null");
        this.quotas = new InMemoryQuotas(lock);
        this.vms = new TrackedMap<>(quotas::vmChanged);
        // What the PostgreSQL store's migrations seed: the admin project and its administrator, without a password.
        projects.put(Project.ADMIN_ID, new Project(Project.ADMIN_ID, Project.ADMIN_NAME, Instant.EPOCH));
        quotas.create(Project.ADMIN_ID, Map.of());
        users.put(
                User.ADMIN_ID,
                new User(User.ADMIN_ID, User.ADMIN_NAME, Project.ADMIN_ID, Role.ADMIN, UserKind.PERSON, Instant.EPOCH));
    }

    /** A placement pass's hold on a pending VM. */
    record PlacementHold(UUID owner, Instant until) {}

    /** What a create with an idempotency key made: the VM (a gang's first member) and the request's fingerprint. */
    record KeyedCreate(UUID vmId, String fingerprint) {}

    /** How many VMs that are not DELETED match {@code test}. Call holding the lock. */
    long liveVms(Predicate<Vm> test) {
        return vms.values().stream()
                .filter(vm -> vm.state() != VmState.DELETED && test.test(vm))
                .count();
    }

    /** The group's live (not DELETED) members, in listing order. Call holding the lock. */
    List<Vm> liveMembers(UUID groupId) {
        return vms.values().stream()
                .filter(v -> groupId.equals(v.constraints().serverGroupId()) && v.state() != VmState.DELETED)
                .sorted(LISTING_ORDER)
                .toList();
    }

    /** Whether the VM has a migration in flight. Call holding the lock. */
    boolean migrating(UUID vmId) {
        return migrations.values().stream()
                .anyMatch(m -> m.vmId().equals(vmId) && m.state().inFlight());
    }
}
