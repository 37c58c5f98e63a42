package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.fake.FakeMigrationFabric;
import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.controller.CatalogService;
import io.vireo.controller.RequestContext;
import io.vireo.controller.ServerGroupService;
import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.MigrationRepository;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Event;
import io.vireo.model.ImageFormat;
import io.vireo.model.Migration;
import io.vireo.model.MigrationState;
import io.vireo.model.Project;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.Vm;
import io.vireo.store.memory.InMemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One seed's run: the real controller (VM service, placement, agent sessions) on the in-memory store, {@code hosts}
 * simulated hosts each with the real reconciler over the fake driver, concurrent API clients, and faults; every loop is
 * an event on one {@link EventLoop} with a virtual clock, and every random choice comes from one seeded generator
 * (split in a fixed order), so a seed replays exactly. Phases: the fault phase ({@code steps} events), then a quiet
 * phase (faults stop, partitions heal, clients stop) of {@link #CONVERGENCE_BOUND} simulated time, after which every
 * VM must have converged (I3). Invariants are checked after every event.
 */
final class Simulation {
    static final Duration CONVERGENCE_BOUND = Duration.ofMinutes(3);
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration FAULT_INTERVAL_MIN = Duration.ofSeconds(2);
    private static final long FAULT_INTERVAL_SPREAD_MILLIS = 8_000;

    private final long seed;
    private final SimulationOptions options;
    private final SplittableRandom random;
    private final SimClock clock = new SimClock(START);
    private final EventLoop loop = new EventLoop(clock);
    private final Map<String, Long> ha = new LinkedHashMap<>();
    private final Faults faults;
    private final Interleaver interleaver;
    private final SimStore store;
    private final InMemoryStore memory;
    private final Repositories repositories;
    private final MigrationRepository migrations;
    private final SimNetwork network;
    private final LiveInstances instances = new LiveInstances();
    private final FakeMigrationFabric migrationFabric = new FakeMigrationFabric();
    private final List<SimHost> hosts = new ArrayList<>();
    private final Workload workload;
    private final Invariants invariants;
    private final Path stateRoot;
    private SimServer server;

    private Simulation(long seed, SimulationOptions options, Path stateRoot) {
        this.seed = seed;
        this.options = requireNonNull(options, "options is null");
        this.stateRoot = stateRoot;
        this.random = new SplittableRandom(seed);
        this.faults = new Faults(options.faults(), random.split());
        double pauses = options.faults().contains(FaultKind.INTERLEAVING) ? 0.3 : 0;
        this.interleaver = new Interleaver(loop, random.split(), pauses, Duration.ofMillis(50));
        this.store = new SimStore(interleaver, faults);
        this.memory = new InMemoryStore(
                IdGenerator.seeded(random.split()), options.mutation().bugs());
        this.repositories = store.wrap(memory.repositories());
        this.migrations = store.wrap(memory.migrations());
        this.network = new SimNetwork(loop, random.split(), faults);
        this.workload = new Workload(this, random.split(), options.vms());
        this.invariants = new Invariants(this, memory);
        seedCatalog(memory.repositories(), random.split());
        for (int i = 1; i <= options.hosts(); i++) {
            Path dir = stateRoot.resolve("host-" + i);
            hosts.add(new SimHost("host-" + i, this, dir, random.split()));
        }
        this.server = new SimServer(this, repositories, random.split());
    }

    /** Runs one seed in a fresh state directory under {@code scratch}, which it removes afterwards. */
    static SimulationResult run(long seed, SimulationOptions options, Path scratch) {
        Path root;
        try {
            Files.createDirectories(scratch);
            root = Files.createTempDirectory(scratch, "sim-" + seed + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new Simulation(seed, options, root).run();
        } finally {
            deleteTree(root);
        }
    }

    private SimulationResult run() {
        long wallStart = System.nanoTime();
        server.start();
        for (SimHost host : hosts) {
            loop.after(Duration.ofMillis(random.nextLong(2_000)), host.name() + ": boots", host::bootAgent);
        }
        loop.after(Duration.ofSeconds(3), "clients start", workload::start);
        scheduleFault();
        Optional<Invariants.Violation> violation = Optional.empty();
        while (violation.isEmpty() && loop.executed() < options.steps() && !loop.isEmpty()) {
            violation = step();
        }
        if (violation.isEmpty()) {
            quiet();
            Instant until = loop.now().plus(CONVERGENCE_BOUND);
            while (violation.isEmpty() && !loop.isEmpty() && (loop.now().isBefore(until) || interleaver.paused() > 0)) {
                violation = step();
            }
        }
        long failedAt = loop.executed();
        if (violation.isEmpty()) {
            violation = invariants.atEnd(hostNames());
            // a convergence failure needs the whole fault phase and the quiet phase after it to show
            failedAt = options.steps();
        }
        return new SimulationResult(
                seed,
                options,
                loop.executed(),
                Duration.between(START, loop.now()).toMillis(),
                (System.nanoTime() - wallStart) / 1_000_000,
                loop.traceHash(),
                faults.fired(),
                invariants.checkedNonEmpty(),
                violation,
                failedAt,
                migrationOutcomes(),
                new java.util.TreeMap<>(ha),
                violation.map(this::explain).orElse(List.of()));
    }

    private Optional<Invariants.Violation> step() {
        loop.runNext();
        return invariants.afterEvent();
    }

    /** Faults stop, everything heals, the clients stop: from here on, everything must converge. */
    private void quiet() {
        faults.stop();
        workload.stop();
        for (SimHost host : hosts) {
            host.heal();
        }
        if (!server.alive()) {
            restartServer();
        }
        workload.endMaintenance();
    }

    private void scheduleFault() {
        long millis = FAULT_INTERVAL_MIN.toMillis() + random.nextLong(FAULT_INTERVAL_SPREAD_MILLIS);
        loop.after(Duration.ofMillis(millis), "fault", () -> {
            FaultKind[] kinds = faults.episodic();
            if (kinds.length == 0 || !faults.enabled(kinds[0])) {
                return;
            }
            inject(kinds[random.nextInt(kinds.length)], hosts.get(random.nextInt(hosts.size())));
            scheduleFault();
        });
    }

    private void inject(FaultKind kind, SimHost host) {
        faults.count(kind);
        loop.note("fault " + kind + " on " + host.name());
        Duration episode = Duration.ofSeconds(5 + random.nextLong(35));
        switch (kind) {
            case AGENT_CRASH -> host.crashAgent();
            case POWER_LOSS -> host.losePower();
            case PARTITION_TO_SERVER -> host.cut(true, episode);
            case PARTITION_TO_HOST -> host.cut(false, episode);
            case MESSAGE_DELAY -> host.delayMessages(episode);
            case STREAM_BREAK -> host.breakStream("fault");
            case SLOW_HOST -> host.slowDown(episode);
            case CLOCK_SKEW -> host.skewClock(Duration.ofSeconds(random.nextLong(-60, 61)));
            case SERVER_CRASH -> crashServer();
            default -> throw new IllegalStateException("not an episodic fault: " + kind);
        }
    }

    private void crashServer() {
        if (!server.alive()) {
            return;
        }
        server.crash();
        for (SimHost host : hosts) {
            host.serverDied();
        }
        loop.after(Duration.ofMillis(1_000 + random.nextLong(9_000)), "server restarts", () -> {
            if (!server.alive()) {
                restartServer();
            }
        });
    }

    private void restartServer() {
        server = new SimServer(this, repositories, random.split());
        server.start();
    }

    /**
     * Runs a server-side operation: as an actor that may interleave with others at its store calls (when
     * interleaving is on), else at once. The refusals an operation may meet (the store unavailable, a lost race) are
     * outcomes, noted in the trace; anything else fails the run.
     */
    void run(String label, Runnable operation) {
        interleaver.run(label, true, () -> {
            try {
                operation.run();
            } catch (VireoException e) {
                if (!SimServer.expected(e)) {
                    throw e;
                }
                loop.note(label + ": " + e.code());
            }
        });
    }

    /**
     * What led to a violation: the last events and outcomes of the run, then the event log (as {@code vireo events
     * --vm} shows it) of each VM the violation names.
     */
    private List<String> explain(Invariants.Violation violation) {
        List<String> lines = new ArrayList<>(loop.recent());
        for (Vm vm : memory.view().vms().values()) {
            if (!violation.message().contains("VM " + vm.name() + " ")
                    && !violation.message().contains(vm.id().toString())) {
                continue;
            }
            lines.add("event log of VM " + vm.name() + " (" + vm.id() + "):");
            for (Event event : memory.repositories()
                    .events()
                    .list(new EventFilter("vm", vm.id(), null, 0, EventFilter.MAX_LIMIT))) {
                lines.add(String.format(
                        Locale.ROOT,
                        "%10.3f s  %s: %s",
                        Duration.between(START, event.createdAt()).toNanos() / 1e9,
                        event.type(),
                        event.message()));
            }
        }
        return lines;
    }

    /** Counts an HA action (a guard fencing, a host fenced, a VM restarted elsewhere or left) for the summary. */
    void countHa(String what, long howMany) {
        if (howMany > 0) {
            ha.merge(what, howMany, Long::sum);
        }
    }

    /** How many live migrations ended in each state (or are still in flight). */
    private Map<MigrationState, Long> migrationOutcomes() {
        Map<MigrationState, Long> outcomes = new EnumMap<>(MigrationState.class);
        for (Migration migration : memory.view().migrations().values()) {
            outcomes.merge(migration.state(), 1L, Long::sum);
        }
        return outcomes;
    }

    private Map<UUID, String> hostNames() {
        Map<UUID, String> names = new LinkedHashMap<>();
        for (SimHost host : hosts) {
            UUID id = host.hostId();
            if (id != null) {
                names.put(id, host.name());
            }
        }
        return names;
    }

    private static void seedCatalog(Repositories raw, SplittableRandom random) {
        IdGenerator ids = IdGenerator.seeded(random);
        CatalogService catalog = new CatalogService(raw, ids, new SimClock(START));
        catalog.createFlavor(Workload.FLAVOR, 1, 1024, 10);
        RequestContext admin = new RequestContext(Project.ADMIN_ID, "sim-setup");
        catalog.createImage(admin, Workload.IMAGE, ImageFormat.KERNEL_INITRD, 0);
        new ServerGroupService(raw, ids, new SimClock(START))
                .create(admin, Workload.GROUP, ServerGroupPolicy.ANTI_AFFINITY, 2);
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- what the parts share ----------------------------------------------------------------------------------------

    EventLoop loop() {
        return loop;
    }

    SimClock clock() {
        return clock;
    }

    SimNetwork network() {
        return network;
    }

    SimServer server() {
        return server;
    }

    SimStore store() {
        return store;
    }

    LiveInstances instances() {
        return instances;
    }

    /** The bug planted in this run, if any. */
    Mutation mutation() {
        return options.mutation();
    }

    /** The store's live migrations, as the server sees them. */
    MigrationRepository migrations() {
        return migrations;
    }

    /** Where the hosts' fake drivers meet for live migrations. */
    FakeMigrationFabric migrationFabric() {
        return migrationFabric;
    }

    /** The driver of the agent now running on host {@code name}, if one runs. */
    @Nullable
    WatchedDriver driverOf(String name) {
        for (SimHost host : hosts) {
            if (host.name().equals(name)) {
                return host.agentUp() ? host.driver() : null;
            }
        }
        return null;
    }

    List<SimHost> hosts() {
        return hosts;
    }

    Workload workload() {
        return workload;
    }

    @Nullable
    Path stateRoot() {
        return stateRoot;
    }
}
