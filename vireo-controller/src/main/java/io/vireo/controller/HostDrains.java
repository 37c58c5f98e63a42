package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.common.logging.Correlation;
import io.vireo.controller.port.MigrationRepository;
import io.vireo.controller.port.Repositories;
import io.vireo.model.DesiredState;
import io.vireo.model.Host;
import io.vireo.model.HostDrain;
import io.vireo.model.HostState;
import io.vireo.model.Migration;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Draining hosts: an operator asks ({@link #start}) and the host goes into MAINTENANCE (no new VM) with a drain
 * recorded in the store; {@link #step}, run every few seconds by the server, live-migrates the host's running VMs to
 * hosts the scheduler picks, at most {@link Limits#perHost} at a time from one host and {@link Limits#total} in the
 * cluster, until no VM is left on the host, when the drain ends. Every migration and event of a drain carries the
 * correlation id of the operator's request, so {@code vireo events} shows why each VM moved.
 *
 * <p>A VM that cannot move now (no host has room, its server group forbids every host, it is not running) is retried
 * at the next step; its reason is shown by {@link #progress} and written as an event when it changes. A VM that does not
 * run is not moved: live migration needs a running guest, and copying a stopped VM's disks is not built; such a VM
 * keeps the drain open until it is started, deleted or the drain is cancelled. A drain ends early, with an event, when
 * its host leaves MAINTENANCE (an operator, or the host was lost and is handled by HA).
 *
 * <p>Thread-safe; {@link #step} is meant for one thread of the server (others may call it: every migration goes
 * through the one claim path, and a VM already migrating is refused there).
 */
public final class HostDrains {
    /** How many migrations a drain runs at once: from one host, and in the whole cluster. */
    public record Limits(int perHost, int total) {
        public static final Limits DEFAULT = new Limits(2, 8);

        public Limits {
            if (perHost < 1 || total < perHost) {
                throw new IllegalArgumentException("need 1 <= perHost <= total: " + perHost + ", " + total);
            }
        }
    }

    /** A drain as it stands: the VMs still on the host, those moving now, and why the others wait. */
    public record Progress(@Nullable HostDrain drain, int vmsOnHost, int migrating, Map<String, String> waiting) {
        public Progress {
            waiting = Map.copyOf(waiting);
        }
    }

    private final Repositories store;
    private final MigrationRepository migrationStore;
    private final MigrationService migrations;
    private final CatalogService catalog;
    private final EventLog events;
    private final Clock clock;
    private final Limits limits;
    /** Why each waiting VM did not move at its last attempt, by VM id; only the last reason per VM is kept. */
    private final Map<UUID, String> waiting = new ConcurrentHashMap<>();

    public HostDrains(
            Repositories store,
            MigrationRepository migrationStore,
            MigrationService migrations,
            CatalogService catalog,
            EventLog events,
            Clock clock,
            Limits limits) {
        this.store = requireNonNull(store, "store is null");
        this.migrationStore = requireNonNull(migrationStore, "migrationStore is null");
        this.migrations = requireNonNull(migrations, "migrations is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.events = requireNonNull(events, "events is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    /**
     * Starts draining the host: MAINTENANCE first (CONFLICT for a SUSPECT or FENCED host: evacuate those), then the
     * drain. Idempotent: a host already draining keeps its drain and its correlation id.
     */
    public Progress start(UUID hostId, RequestContext context) {
        Host host = catalog.enterMaintenance(hostId);
        String correlationId = context.correlationId() == null ? hostId.toString() : context.correlationId();
        if (store.hosts().startDrain(new HostDrain(hostId, correlationId, clock.instant()))) {
            events.host(host, "DrainStarted", "running VMs are live-migrated away; no new VM comes", correlationId);
        }
        return progress(hostId);
    }

    /** Stops draining the host (it stays in MAINTENANCE); migrations under way finish. Idempotent. */
    public Progress cancel(UUID hostId) {
        Host host = requireHost(hostId);
        Optional<HostDrain> drain = drainOf(hostId);
        if (drain.isPresent() && store.hosts().endDrain(hostId)) {
            events.host(
                    host,
                    "DrainCancelled",
                    "by an operator; the host stays in MAINTENANCE",
                    drain.get().correlationId());
        }
        return progress(hostId);
    }

    /** The host's drain and how far it is; a host that is not draining has a null drain. */
    public Progress progress(UUID hostId) {
        requireHost(hostId);
        List<Vm> vms = store.vms().listByHost(hostId);
        Map<UUID, Migration> moving = migrations.inFlight(vms);
        Map<String, String> reasons = new HashMap<>();
        for (Vm vm : vms) {
            String reason = waiting.get(vm.id());
            if (reason != null && !moving.containsKey(vm.id())) {
                reasons.put(vm.name(), reason);
            }
        }
        return new Progress(drainOf(hostId).orElse(null), vms.size(), moving.size(), reasons);
    }

    /** One pass over the standing drains; returns how many migrations it started. */
    public int step() {
        List<HostDrain> drains = store.hosts().drains();
        if (drains.isEmpty()) {
            waiting.clear();
            return 0;
        }
        Map<UUID, Integer> movingFrom = new HashMap<>();
        List<Migration> inFlight = migrationStore.listInFlight();
        for (Migration migration : inFlight) {
            movingFrom.merge(migration.sourceHostId(), 1, Integer::sum);
        }
        int budget = limits.total() - inFlight.size();
        int started = 0;
        Set<UUID> onDrainingHosts = new HashSet<>();
        for (HostDrain drain : drains) {
            int left = budget;
            int here =
                    Correlation.call(drain.correlationId(), () -> stepDrain(drain, left, movingFrom, onDrainingHosts));
            budget -= here;
            started += here;
        }
        waiting.keySet().retainAll(onDrainingHosts);
        return started;
    }

    /**
     * One drain's part of {@link #step}: ends it if its host left MAINTENANCE or is empty, else starts at most
     * {@code budget} migrations off its host (within the host's own limit); returns how many it started.
     */
    private int stepDrain(HostDrain drain, int budget, Map<UUID, Integer> movingFrom, Set<UUID> onDrainingHosts) {
        Optional<Host> found = store.hosts().find(drain.hostId());
        if (found.isEmpty()) {
            store.hosts().endDrain(drain.hostId());
            return 0;
        }
        Host host = found.get();
        if (host.state() != HostState.MAINTENANCE) {
            if (store.hosts().endDrain(host.id())) {
                events.host(
                        host,
                        "DrainStopped",
                        "the host is " + host.state() + ", no longer in MAINTENANCE",
                        drain.correlationId());
            }
            return 0;
        }
        List<Vm> vms = store.vms().listByHost(host.id());
        if (vms.isEmpty()) {
            if (store.hosts().endDrain(host.id())) {
                events.host(
                        host, "Drained", "no VM is left on the host; it stays in MAINTENANCE", drain.correlationId());
            }
            return 0;
        }
        vms.forEach(vm -> onDrainingHosts.add(vm.id()));
        int slots = Math.min(budget, limits.perHost() - movingFrom.getOrDefault(host.id(), 0));
        Map<UUID, Migration> moving = migrations.inFlight(vms);
        int started = 0;
        for (Vm vm : ordered(vms)) {
            if (moving.containsKey(vm.id())) {
                waiting.remove(vm.id());
                continue;
            }
            if (!runs(vm)) {
                holdBack(
                        vm,
                        drain,
                        "it is " + vm.state() + ": only running VMs are live-migrated; start or delete it,"
                                + " or cancel the drain");
                continue;
            }
            if (slots <= 0) {
                continue;
            }
            try {
                migrations.migrate(
                        new RequestContext(vm.projectId(), drain.correlationId()),
                        vm.id().toString(),
                        null);
                waiting.remove(vm.id());
                slots--;
                started++;
            } catch (VireoException e) {
                if (e.code() == ErrorCode.INTERNAL) {
                    throw e;
                }
                holdBack(vm, drain, String.valueOf(e.getMessage()));
            }
        }
        return started;
    }

    /** Larger VMs first: they are the hardest to place, and fit best while the cluster has the most room. */
    private static List<Vm> ordered(List<Vm> vms) {
        List<Vm> sorted = new ArrayList<>(vms);
        sorted.sort((a, b) -> {
            int byMemory = Long.compare(b.resources().memoryMib(), a.resources().memoryMib());
            return byMemory != 0 ? byMemory : a.id().compareTo(b.id());
        });
        return sorted;
    }

    private static boolean runs(Vm vm) {
        return vm.state() == VmState.RUNNING && vm.desiredState() == DesiredState.RUNNING;
    }

    private void holdBack(Vm vm, HostDrain drain, String reason) {
        String previous = waiting.put(vm.id(), reason);
        if (!reason.equals(previous)) {
            events.vm(vm, "DrainWaiting", "not moved off its draining host: " + reason, drain.correlationId());
        }
    }

    private Optional<HostDrain> drainOf(UUID hostId) {
        return store.hosts().drains().stream()
                .filter(drain -> drain.hostId().equals(hostId))
                .findFirst();
    }

    private Host requireHost(UUID hostId) {
        return store.hosts().find(hostId).orElseThrow(() -> VireoException.notFound("host", hostId.toString()));
    }
}
