package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.fake.FakeDriverSettings;
import io.vireo.agent.guard.FenceGuard;
import io.vireo.agent.hypervisor.MigrationEndpoint;
import io.vireo.agent.hypervisor.MigrationStats;
import io.vireo.agent.migration.AgentMigrations;
import io.vireo.agent.migration.MigrationCommand;
import io.vireo.agent.migration.MigrationUpdate;
import io.vireo.agent.reconcile.ObservedReport;
import io.vireo.agent.reconcile.ReconcilerSettings;
import io.vireo.agent.reconcile.VmReconciler;
import io.vireo.controller.ControllerSettings;
import io.vireo.controller.HaSettings;
import io.vireo.controller.MigrationProgress;
import io.vireo.controller.port.MigrationGateway;
import io.vireo.model.DesiredVm;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostReservation;
import io.vireo.model.HostUsage;
import io.vireo.model.Migration;
import io.vireo.model.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One simulated host: the real agent reconciler and planner over the real fake driver (its state directory on disk,
 * as in production), behind a simulated stream to the server. Everything a real agent's threads do is an event here:
 * each reconciler step, each driver operation (which takes a random time), each heartbeat, each reconnect.
 *
 * <p>An agent crash drops the reconciler (its memory) and keeps the state directory: the fake VMs outlive it as QEMU
 * does, and the next agent adopts them. A power loss also removes the fake VMs. Events of a dead agent (its driver
 * operations still finish, as a real one's would have or not) are recognised by the agent's incarnation and ignored.
 */
final class SimHost {
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration BREAK_DETECTION = Duration.ofSeconds(6);
    private static final long MAX_OPERATION_MILLIS = 300;
    /** A migration step (preparing, or sending the VM) takes up to this long. */
    private static final long MAX_MIGRATION_STEP_MILLIS = 8_000;
    /** Five small VMs fit (memory 6144 - 512 reserved): the cluster runs full, so placements race for the last room. */
    static final Resources CAPACITY = new Resources(4, 6144, 100);
    /** How often the fence guard looks at its lease; it renews it every {@link #RENEWALS_EVERY_TICKS} looks. */
    private static final Duration GUARD_TICK = Duration.ofMillis(250);
    /** When a guard starts asking its peers: the lease lapse past which a host is suspected. */
    private static final Duration PEER_LAPSE =
            ControllerSettings.defaults().ha().suspectAfter();

    private static final int RENEWALS_EVERY_TICKS = 4;

    private final String name;
    private final Simulation sim;
    private final Path stateDir;
    private final SplittableRandom random;
    private final Clock clock;
    private Duration skew = Duration.ZERO;

    private int incarnation;
    private boolean agentUp;
    private @Nullable VmReconciler reconciler;
    private @Nullable WatchedDriver driver;
    private @Nullable AgentMigrations migrations;
    private @Nullable Instant nextStepAt;

    private @Nullable UUID hostId;
    private int session;
    private int unfencedOnSession = -1;

    private @Nullable FenceGuard guard;
    private int guardIncarnation;
    private boolean guardFenced;
    private boolean serverSideOpen;
    private boolean hostSideOpen;
    private int reconnects;

    private boolean cutToServer;
    private boolean cutToHost;
    private boolean delayed;
    private boolean slow;
    private Instant lastToServer = Instant.EPOCH;
    private Instant lastToHost = Instant.EPOCH;

    SimHost(String name, Simulation sim, Path stateDir, SplittableRandom random) {
        this.name = requireNonNull(name, "name is null");
        this.sim = requireNonNull(sim, "sim is null");
        this.stateDir = requireNonNull(stateDir, "stateDir is null");
        this.random = requireNonNull(random, "random is null");
        this.clock = sim.clock().skewed(() -> skew);
    }

    String name() {
        return name;
    }

    @Nullable
    UUID hostId() {
        return hostId;
    }

    int session() {
        return session;
    }

    boolean serverSideOpen() {
        return serverSideOpen;
    }

    boolean agentUp() {
        return agentUp;
    }

    boolean cutToServer() {
        return cutToServer;
    }

    boolean cutToHost() {
        return cutToHost;
    }

    boolean messagesDelayed() {
        return delayed;
    }

    @Nullable
    WatchedDriver driver() {
        return driver;
    }

    Instant nextToServer(Instant arrival) {
        lastToServer = arrival.isAfter(lastToServer) ? arrival : lastToServer;
        return lastToServer;
    }

    Instant nextToHost(Instant arrival) {
        lastToHost = arrival.isAfter(lastToHost) ? arrival : lastToHost;
        return lastToHost;
    }

    // --- the agent process ---------------------------------------------------------------------------------------

    /**
     * Starts an agent: a driver on the state directory (adopting what outlived the last agent) and a reconciler; and
     * the host's fence guard, if it is not running (it runs from boot, and dies only with the host's power).
     */
    void bootAgent() {
        if (guard == null) {
            bootGuard();
        }
        int me = ++incarnation;
        FakeDriverSettings settings =
                new FakeDriverSettings(Duration.ofMillis(100 + random.nextLong(400)), 0.02, CAPACITY);
        WatchedDriver watched = new WatchedDriver(
                name,
                new FakeDriver(settings, stateDir, clock, random.split(), sim.migrationFabric()),
                sim.instances(),
                sim::driverOf);
        VmReconciler next = new VmReconciler(
                watched,
                stateDir,
                ReconcilerSettings.DEFAULTS,
                clock,
                random.split(),
                operation -> {
                    long millis = 1 + random.nextLong(MAX_OPERATION_MILLIS) * (slow ? 10 : 1);
                    sim.loop().after(Duration.ofMillis(millis), name + ": driver operation", () -> {
                        if (me == incarnation) { // an operation of a dead agent died with it
                            operation.run();
                            step(me, sim.loop().now());
                        }
                    });
                },
                sim.mutation().agentBugs());
        next.start(report -> onReport(me, report));
        watched.watchAll();
        driver = watched;
        reconciler = next;
        migrations = new AgentMigrations(
                watched,
                step -> sim.loop()
                        .after(
                                Duration.ofMillis(1 + random.nextLong(MAX_MIGRATION_STEP_MILLIS) * (slow ? 3 : 1)),
                                name + ": migration step",
                                () -> {
                                    if (me == incarnation) { // a step of a dead agent died with it
                                        step.run();
                                    }
                                }),
                new AgentMigrations.Moves() {
                    @Override
                    public void departed(UUID vmId, long epoch) {
                        next.departed(vmId, epoch);
                    }

                    @Override
                    public void stayed(UUID vmId, long epoch) {
                        next.stayed(vmId, epoch);
                    }

                    @Override
                    public void arrived(UUID vmId, Instant startedAt) {
                        next.arrived(vmId, startedAt);
                    }
                },
                update -> onMigrationUpdate(me, update));
        agentUp = true;
        nextStepAt = null;
        step(me, sim.loop().now());
        connect(me);
    }

    /** The agent process dies: memory lost; VMs and state directory kept. */
    void crashAgent() {
        if (!agentUp) {
            return;
        }
        agentUp = false;
        reconciler = null;
        migrations = null;
        incarnation++;
        WatchedDriver dead = driver;
        if (dead != null) {
            dead.close(); // what waited here for an incoming migration dies with the agent
        }
        breakStream("agent crashed");
        sim.loop().after(Duration.ofMillis(500 + random.nextLong(10_000)), name + ": agent restarts", this::bootAgent);
    }

    /** The whole host loses power: the agent, its guard and every VM instance are gone; it boots again later. */
    void losePower() {
        guard = null;
        guardIncarnation++;
        crashAgent();
        sim.instances().clearHost(name);
        deleteTree(stateDir.resolve(FakeDriver.STATE_DIRECTORY));
    }

    /** Schedules a reconciler step at {@code at}, unless one is due before. */
    private void step(int me, Instant at) {
        VmReconciler current = reconciler;
        if (me != incarnation || current == null) {
            return;
        }
        Instant due = nextStepAt;
        if (due != null && !due.isAfter(at)) {
            return;
        }
        nextStepAt = at;
        sim.loop().at(at, name + ": reconcile", () -> {
            if (me != incarnation || reconciler != current || !at.equals(nextStepAt)) {
                return;
            }
            nextStepAt = null;
            try {
                current.runOnce(Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SimulationFailure("interrupted", e);
            }
            Duration wait = current.hasEvents() ? Duration.ZERO : current.maxWait();
            step(me, sim.loop().now().plus(wait));
        });
    }

    // --- the fence guard: a process of its own ----------------------------------------------------------------------

    private void bootGuard() {
        HaSettings ha = ControllerSettings.defaults().ha();
        guard = new FenceGuard(ha.fenceDeadline(), ha.suspectAfter(), ha.massSuspectShare());
        guardFenced = false;
        int me = ++guardIncarnation;
        sim.loop().after(Duration.ofMillis(random.nextLong(GUARD_TICK.toMillis())), name + ": guard starts", () -> {
            guardTick(me, 0);
        });
    }

    /** Whether this host's guard runs and has lost the control plane: what it answers a peer that asks. */
    boolean guardLostControlPlane(Instant now) {
        FenceGuard current = guard;
        return current != null && current.lostControlPlane(now);
    }

    private void guardTick(int me, int tick) {
        FenceGuard current = guard;
        if (me != guardIncarnation || current == null) {
            return;
        }
        Instant now = sim.loop().now(); // a monotonic clock: no skew
        UUID id = hostId; // in production, from the host's certificate
        if (id != null && tick % RENEWALS_EVERY_TICKS == 0) {
            long sequence = current.renewalSent(now);
            sim.network()
                    .toServer(
                            this,
                            "lease renewal",
                            false,
                            s -> sim.server()
                                    .renewLease(
                                            id,
                                            () -> sim.network().toHost(this, "lease acknowledged", false, s2 -> {
                                                if (me == guardIncarnation) {
                                                    current.acknowledged(sequence);
                                                }
                                            })));
        }
        int peers = sim.hosts().size() - 1;
        int lost = 0;
        Duration lapse = current.lapse(now);
        // As the real guard loop, peers are asked only once the lease has lapsed past the suspect point: asking all of
        // them at every look would cost hosts² per tick.
        if (lapse != null && lapse.compareTo(PEER_LAPSE) > 0) {
            for (SimHost peer : sim.hosts()) {
                if (peer != this && peer.guardLostControlPlane(now)) { // a peer that is down does not answer
                    lost++;
                }
            }
        }
        switch (current.verdict(now, peers, lost)) {
            case ALIVE -> guardFenced = false;
            case HOLD -> {}
            case FENCE -> {
                if (!guardFenced) {
                    fence(now);
                }
            }
        }
        sim.loop().after(GUARD_TICK, name + ": guard", () -> guardTick(me, tick + 1));
    }

    /**
     * What the guard does past the deadline: the marker first (a restarted agent starts nothing), then the agent (an
     * operation it has in flight cannot start a guest after the sweep), then every instance.
     */
    private void fence(Instant now) {
        guardFenced = true;
        sim.loop().note(name + " guard fences the host");
        sim.countHa("guard fencings", 1);
        VmReconciler.fence(stateDir, now);
        crashAgent();
        FakeDriver.killAll(stateDir);
        sim.instances().clearHost(name);
    }

    // --- the stream to the server ----------------------------------------------------------------------------------

    private void connect(int me) {
        if (me != incarnation || !agentUp) {
            return;
        }
        int attempt = ++reconnects;
        HostRegistration registration = new HostRegistration(
                name, CAPACITY, List.of(FakeDriver.CAPABILITY), FakeDriver.NAME, HostReservation.NONE);
        sim.network().toServer(this, "register", false, ignored -> sim.server().register(this, registration));
        sim.loop().after(REGISTER_TIMEOUT, name + ": register timeout", () -> {
            if (me == incarnation && attempt == reconnects && !hostSideOpen) {
                sim.loop()
                        .after(
                                Duration.ofMillis(200 + random.nextLong(3_000)),
                                name + ": reconnect",
                                () -> connect(me));
            }
        });
    }

    /** The server accepted a registration: its side of a new session is open; the reply travels to the agent. */
    void accepted(UUID id) {
        hostId = id;
        session++;
        serverSideOpen = true;
        int me = incarnation;
        sim.network().toHost(this, "registered", false, accepted -> {
            if (me != incarnation || accepted != session || !agentUp) {
                return;
            }
            hostSideOpen = true;
            VmReconciler current = reconciler;
            if (current != null) {
                current.requestFullReport();
                step(me, sim.loop().now());
            }
            AgentMigrations ongoing = migrations;
            if (ongoing != null) {
                ongoing.resend(); // updates sent while no session was up are lost
            }
            heartbeat(me, accepted);
        });
    }

    private void heartbeat(int me, int onSession) {
        if (me != incarnation || onSession != session || !hostSideOpen) {
            return;
        }
        UUID id = requireNonNull(hostId, "hostId is null");
        sim.network().toServer(this, "heartbeat", false, s -> {
            if (s == session && serverSideOpen) {
                sim.server().heartbeat(id, HostUsage.NONE);
            }
        });
        sim.loop().after(HEARTBEAT_INTERVAL, name + ": heartbeat", () -> heartbeat(me, onSession));
    }

    private void onReport(int me, ObservedReport report) {
        UUID id = hostId;
        if (me != incarnation || !hostSideOpen || id == null) {
            return; // the next session starts with a full report
        }
        sim.network()
                .toServer(
                        this,
                        (report.full() ? "full report (" : "report (")
                                + report.vms().size() + ")",
                        true,
                        s -> {
                            if (s == session && serverSideOpen) {
                                sim.server().report(id, report, () -> {
                                    if (s == session) {
                                        breakStream("the server could not record a report");
                                    }
                                });
                            }
                        });
    }

    private void onMigrationUpdate(int me, MigrationUpdate update) {
        UUID id = hostId;
        if (me != incarnation || !hostSideOpen || id == null) {
            return; // resent after the next registration
        }
        MigrationProgress progress = progress(update);
        sim.network().toServer(this, "migration " + update.phase(), true, s -> {
            if (s == session && serverSideOpen) {
                sim.server().migrationProgress(id, progress);
            }
        });
    }

    /** An update as the server's transport hands it on. */
    private static MigrationProgress progress(MigrationUpdate update) {
        MigrationEndpoint endpoint = update.target();
        MigrationStats stats = update.stats();
        return new MigrationProgress(
                update.migrationId(),
                update.vmId(),
                MigrationProgress.Phase.valueOf(update.phase().name()),
                endpoint == null
                        ? null
                        : new MigrationGateway.Target(endpoint.host(), endpoint.migrationPort(), endpoint.diskPort()),
                update.error(),
                stats == null
                        ? null
                        : new Migration.Figures(
                                stats.total(),
                                stats.diskCopy(),
                                stats.memory(),
                                stats.downtime(),
                                stats.transferredBytes()),
                update.resumedAt());
    }

    void onMigrationCommand(int onSession, MigrationCommand command) {
        AgentMigrations current = migrations;
        if (onSession == session && hostSideOpen && current != null) {
            current.handle(command);
        }
    }

    void onDesiredSet(int onSession, List<DesiredVm> vms) {
        VmReconciler current = reconciler;
        if (onSession == session && hostSideOpen && current != null) {
            current.replaceDesired(vms);
            if (unfencedOnSession != onSession) { // the first desired set of a session: sent after registering
                unfencedOnSession = onSession;
                current.unfence();
            }
            step(incarnation, sim.loop().now());
        }
    }

    void onDesiredDelta(int onSession, List<DesiredVm> upserts, List<UUID> removals) {
        VmReconciler current = reconciler;
        if (onSession == session && hostSideOpen && current != null) {
            current.applyDelta(upserts, removals);
            step(incarnation, sim.loop().now());
        }
    }

    /** The stream ends on both sides; a live agent reconnects after a backoff. */
    void breakStream(String why) {
        boolean wasOpen = serverSideOpen || hostSideOpen;
        serverSideOpen = false;
        hostSideOpen = false;
        session++;
        if (wasOpen) {
            sim.loop().note(name + " stream broke: " + why);
        }
        int me = incarnation;
        if (agentUp) {
            sim.loop().after(Duration.ofMillis(500 + random.nextLong(3_000)), name + ": reconnect", () -> connect(me));
        }
    }

    /** The server process died: its side of the stream is gone; the agent notices after the keepalive timeout. */
    void serverDied() {
        serverSideOpen = false;
        int me = incarnation;
        int onSession = session;
        sim.loop().after(BREAK_DETECTION, name + ": stream to the dead server breaks", () -> {
            if (me == incarnation && onSession == session) {
                breakStream("server died");
            }
        });
    }

    // --- faults ----------------------------------------------------------------------------------------------------

    void cut(boolean toServer, Duration duration) {
        if (toServer) {
            cutToServer = true;
        } else {
            cutToHost = true;
        }
        int onSession = session;
        sim.loop().after(BREAK_DETECTION, name + ": stream breaks in the partition", () -> {
            if (onSession == session) {
                breakStream("partition");
            }
        });
        sim.loop().after(duration, name + ": partition heals", this::heal);
    }

    void heal() {
        cutToServer = false;
        cutToHost = false;
        delayed = false;
        slow = false;
    }

    void delayMessages(Duration duration) {
        delayed = true;
        sim.loop().after(duration, name + ": delays end", () -> delayed = false);
    }

    void slowDown(Duration duration) {
        slow = true;
        sim.loop().after(duration, name + ": slowness ends", () -> slow = false);
    }

    void skewClock(Duration newSkew) {
        skew = newSkew;
    }

    void resetClock() {
        skew = Duration.ZERO;
    }

    private static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
