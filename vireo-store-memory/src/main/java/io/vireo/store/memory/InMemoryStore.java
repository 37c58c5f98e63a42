package io.vireo.store.memory;

import static java.util.Objects.requireNonNull;

import io.vireo.common.IdGenerator;
import io.vireo.controller.port.AlertRepository;
import io.vireo.controller.port.IdentityRepositories;
import io.vireo.controller.port.MigrationRepository;
import io.vireo.controller.port.NetworkRepository;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Host;
import io.vireo.model.Migration;
import io.vireo.model.Resources;
import io.vireo.model.ServerGroup;
import io.vireo.model.Vm;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Every store port in memory, with the same semantics as the PostgreSQL store (the shared contract tests check both):
 * one repository per port ({@link InMemoryHosts}, {@link InMemoryVms}, {@link InMemoryClaims}, ...) over one
 * {@link MemoryState}. For tests and the simulator only; no product code depends on it.
 *
 * <p>Thread-safe: every port call holds the state's one lock, which plays the part of a serializable transaction.
 */
public final class InMemoryStore {
    private final MemoryState state;
    private final Repositories repositories;
    private final MigrationRepository migrations;
    private final IdentityRepositories identity;
    private final InMemoryNetworks networks;
    private final AlertRepository alerts = new InMemoryAlerts();

    /** A store whose host ids come from a fixed seed. */
    public InMemoryStore() {
        this(IdGenerator.seeded(new SplittableRandom(0)), PlantedBugs.NONE);
    }

    /**
     * A store whose host ids come from {@code ids}, with {@code bugs} planted: the simulator's mutations, which prove
     * that its invariant checkers can fail. Never anything but {@link PlantedBugs#NONE} outside the simulator.
     */
    public InMemoryStore(IdGenerator ids, PlantedBugs bugs) {
        this.state = new MemoryState(requireNonNull(ids, "ids is null"), requireNonNull(bugs, "bugs is null"));
        InMemoryVolumes volumes = new InMemoryVolumes(state.lock, state.quotas);
        InMemoryImages images = new InMemoryImages(
                state.lock, id -> state.liveVms(vm -> vm.imageId().equals(id)));
        this.repositories = new Repositories(
                new InMemoryHosts(state, volumes),
                new InMemoryVms(state, volumes, images),
                new InMemoryClaims(state, volumes),
                new InMemoryEvents(state),
                new InMemoryFlavors(state),
                images,
                new InMemoryServerGroups(state),
                new InMemoryVmStats(state),
                volumes,
                new InMemoryAudit());
        this.migrations = new InMemoryMigrations(state, volumes);
        InMemoryNetworks networks = new InMemoryNetworks(state.lock);
        this.networks = networks;
        Repositories store = repositories;
        this.identity = new IdentityRepositories(
                new InMemoryProjects(
                        state,
                        project -> !store.volumes().list(project).isEmpty()
                                || !store.images().list(project).isEmpty()
                                || !store.serverGroups().list(project).isEmpty()
                                || networks.hasNetworks(project)
                                || state.liveVms(vm -> vm.projectId().equals(project)) > 0),
                state.quotas,
                new InMemoryUsers(state),
                new InMemoryTokens(state));
    }

    /**
     * Bugs the simulator can plant at the store's real seams.
     *
     * @param claimIgnoresGeneration a claim skips its conditional write (the hosts' generations and free room)
     * @param releaseSkippedOnDelete deleting a VM marks it DELETED but keeps its allocation on the host
     * @param completesMigrationTwice completing a migration does not check that it is still in flight and the VM still
     *     on its source, so a repeated report moves the VM (and releases the source) again
     */
    public record PlantedBugs(
            boolean claimIgnoresGeneration, boolean releaseSkippedOnDelete, boolean completesMigrationTwice) {
        public static final PlantedBugs NONE = new PlantedBugs(false, false, false);
    }

    /** A consistent copy of what the invariant checkers read: hosts, VMs, allocations, server groups. */
    public record View(
            Map<UUID, Host> hosts,
            Map<UUID, Vm> vms,
            Map<UUID, Resources> allocations,
            Map<UUID, ServerGroup> groups,
            Map<UUID, Migration> migrations) {}

    /**
     * The hosts, VMs and migrations written since the last call (each as it is now, or absent from the map if it was
     * removed), and every server group: what the simulator's invariant checkers look at after an event, at the cost of
     * what the event changed.
     */
    public record Changes(
            Map<UUID, Host> hosts, Map<UUID, Vm> vms, Map<UUID, Migration> migrations, Map<UUID, ServerGroup> groups) {
        public boolean isEmpty() {
            return hosts.isEmpty() && vms.isEmpty() && migrations.isEmpty();
        }
    }

    /** One host as the store holds it now. */
    public Optional<Host> host(UUID hostId) {
        synchronized (state.lock) {
            return Optional.ofNullable(state.hosts.get(hostId));
        }
    }

    public Changes drainChanges() {
        synchronized (state.lock) {
            return new Changes(
                    current(state.hosts),
                    current(state.vms),
                    current(state.migrations),
                    new LinkedHashMap<>(state.serverGroups));
        }
    }

    private static <V> Map<UUID, V> current(TrackedMap<UUID, V> map) {
        Map<UUID, V> now = new LinkedHashMap<>();
        for (UUID id : map.drainTouched()) {
            V value = map.get(id);
            if (value != null) {
                now.put(id, value);
            }
        }
        return now;
    }

    public View view() {
        synchronized (state.lock) {
            return new View(
                    new LinkedHashMap<>(state.hosts),
                    new LinkedHashMap<>(state.vms),
                    new LinkedHashMap<>(state.allocations),
                    new LinkedHashMap<>(state.serverGroups),
                    new LinkedHashMap<>(state.migrations));
        }
    }

    public Repositories repositories() {
        return repositories;
    }

    /** Live migrations; not part of {@link Repositories}, which predates them. */
    public MigrationRepository migrations() {
        return migrations;
    }

    /** Networks, subnets, ports and their addresses (ADR 23). */
    public NetworkRepository networks() {
        return networks;
    }

    /** The active alerts (ADR 24). */
    public AlertRepository alerts() {
        return alerts;
    }

    /** Projects, their quotas, users and API tokens. */
    public IdentityRepositories identity() {
        return identity;
    }
}
