package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.reconcile.ObservedReport;
import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.controller.AgentSessions;
import io.vireo.controller.AuditLog;
import io.vireo.controller.CatalogService;
import io.vireo.controller.ControllerSettings;
import io.vireo.controller.EventLog;
import io.vireo.controller.HeartbeatBatcher;
import io.vireo.controller.HostDrains;
import io.vireo.controller.HostMonitor;
import io.vireo.controller.MigrationProgress;
import io.vireo.controller.MigrationService;
import io.vireo.controller.PlacementController;
import io.vireo.controller.VmService;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostUsage;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.plugins.FrameworkScheduler;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * One incarnation of the server process: the real controller classes on the (simulated) store, with two placement
 * loops that race for hosts as two replicas' would. Its loops are events: a placement pass every
 * {@link #PLACEMENT_INTERVAL} per loop, the host monitor, the periodic resync of every connected agent. A crash ends
 * the incarnation (its scheduled events find it dead and do nothing); a new one is built on the same store.
 */
final class SimServer {
    static final Duration PLACEMENT_INTERVAL = Duration.ofMillis(500);
    private static final Duration MONITOR_INTERVAL = Duration.ofSeconds(5);
    /** How often the lease monitor runs: a fraction of the lease timings, as in production. */
    static final Duration LEASE_CHECK_INTERVAL = Duration.ofMillis(500);
    /** Shorter than production's, so that a migration stuck by a fault ends within the convergence bound. */
    static final Duration MIGRATION_TIMEOUT = Duration.ofSeconds(60);

    private final Simulation sim;
    private final Repositories store;
    private final ControllerSettings settings;
    private final AgentSessions sessions;
    /** Heartbeats offered by hosts, written by a timer as the server's is: the same batching code. */
    private final HeartbeatBatcher heartbeats;

    private boolean heartbeatFlushScheduled;
    private final VmService vms;
    private final MigrationService migrations;
    private final CatalogService catalog;
    private final HostDrains drains;
    private final List<PlacementController> placements;
    private final HostMonitor monitor;
    private boolean alive = true;

    SimServer(Simulation sim, Repositories store, RandomGenerator random) {
        this.sim = requireNonNull(sim, "sim is null");
        this.store = requireNonNull(store, "store is null");
        this.settings = ControllerSettings.defaults();
        EventLog events = new EventLog(store.events(), sim.clock());
        AuditLog audit = new AuditLog(store.audit(), sim.clock());
        IdGenerator ids = IdGenerator.seeded(random);
        placements = List.of(placement(events, audit, random, ids), placement(events, audit, random, ids));
        sessions = new AgentSessions(store, sim.network(), placements.get(0), events, audit, sim.clock(), settings);
        heartbeats = new HeartbeatBatcher(sessions);
        monitor = new HostMonitor(
                store, events, audit, sim.clock(), settings, sim.mutation().monitorBugs());
        vms = new VmService(store, sim.network(), placements.get(0), events, ids, sim.clock(), settings);
        migrations = new MigrationService(
                store,
                sim.migrations(),
                FrameworkScheduler.create(SchedulerSettings.DEFAULT, random.nextLong()),
                new MigrationService.AgentGatewayAccess(sim.network(), sim.network()),
                events,
                audit,
                ids,
                sim.clock(),
                settings,
                MIGRATION_TIMEOUT);
        catalog = new CatalogService(store, ids, sim.clock(), settings.capacityDefaults());
        drains = new HostDrains(
                store, sim.migrations(), migrations, catalog, events, sim.clock(), HostDrains.Limits.DEFAULT);
    }

    private PlacementController placement(EventLog events, AuditLog audit, RandomGenerator random, IdGenerator ids) {
        FrameworkScheduler scheduler = FrameworkScheduler.create(SchedulerSettings.DEFAULT, random.nextLong());
        return new PlacementController(store, scheduler, sim.network(), events, audit, sim.clock(), settings, ids);
    }

    VmService vms() {
        return vms;
    }

    MigrationService migrations() {
        return migrations;
    }

    CatalogService catalog() {
        return catalog;
    }

    HostDrains drains() {
        return drains;
    }

    /** The host of that name as the store has it; NOT_FOUND before it first registered. */
    Host host(String name) {
        return store.hosts().findByName(name).orElseThrow(() -> VireoException.notFound("host", name));
    }

    boolean alive() {
        return alive;
    }

    void start() {
        for (int i = 0; i < placements.size(); i++) {
            schedulePlacement(i);
        }
        scheduleMonitor();
        scheduleLeaseCheck();
        scheduleResync();
        scheduleMigrationSweep();
        sim.run("migration sweep at start", migrations::sweep);
        scheduleDrainStep();
    }

    /** Every second, as the server's thread does: the drains' next migrations. */
    private void scheduleDrainStep() {
        sim.loop().after(Duration.ofSeconds(1), "drain step", () -> {
            if (!alive) {
                return;
            }
            sim.run("drain step", () -> sim.countHa("drain migrations", drains.step()));
            scheduleDrainStep();
        });
    }

    private void scheduleMigrationSweep() {
        sim.loop().after(MigrationService.SWEEP_INTERVAL, "migration sweep", () -> {
            if (!alive) {
                return;
            }
            sim.run("migration sweep", migrations::sweep);
            scheduleMigrationSweep();
        });
    }

    void crash() {
        alive = false;
    }

    private void schedulePlacement(int loop) {
        sim.loop().after(PLACEMENT_INTERVAL, "placement pass " + loop, () -> {
            if (!alive) {
                return;
            }
            sim.run("placement pass " + loop, () -> placements.get(loop).placePending());
            schedulePlacement(loop);
        });
    }

    private void scheduleMonitor() {
        sim.loop().after(MONITOR_INTERVAL, "host monitor", () -> {
            if (!alive) {
                return;
            }
            sim.run("host monitor", sessions::markSilentHostsDown);
            scheduleMonitor();
        });
    }

    private void scheduleLeaseCheck() {
        sim.loop().after(LEASE_CHECK_INTERVAL, "lease check", () -> {
            if (!alive) {
                return;
            }
            sim.run("lease check", () -> {
                HostMonitor.Outcome outcome = monitor.check();
                sim.countHa("hosts suspected", outcome.suspected());
                sim.countHa("hosts fenced", outcome.fenced());
                sim.countHa("vms restarted", outcome.restarted());
                sim.countHa("vms left on their host", outcome.left());
                if (outcome.restarted() > 0) {
                    placements.get(0).wake();
                }
            });
            scheduleLeaseCheck();
        });
    }

    /** A fence guard's lease renewal: committed, then {@code acknowledge} runs (and sends the answer back). */
    void renewLease(UUID hostId, Runnable acknowledge) {
        if (alive) {
            sim.run("lease renewal", () -> {
                sessions.renewLeases(List.of(hostId));
                acknowledge.run();
            });
        }
    }

    private void scheduleResync() {
        sim.loop().after(settings.resyncInterval(), "resync", () -> {
            if (!alive) {
                return;
            }
            for (SimHost host : sim.hosts()) {
                UUID id = host.hostId();
                if (id != null && host.serverSideOpen()) {
                    sim.run("resync " + host.name(), () -> sim.network().sendDesiredSet(id, sessions.desiredSet(id)));
                }
            }
            scheduleResync();
        });
    }

    /** An agent's registration: the session opens and the agent gets its full desired set. */
    void register(SimHost host, HostRegistration registration) {
        if (!alive) {
            return;
        }
        sim.run("register " + host.name(), () -> {
            Host registered = sessions.register(registration);
            sim.network().registered(registered.id(), host);
            host.accepted(registered.id());
            sim.network().sendDesiredSet(registered.id(), sessions.desiredSet(registered.id()));
        });
    }

    /**
     * An agent's report. If it could not be recorded, {@code unrecorded} runs: the agent must reconnect and report
     * everything again, as the real stream service makes it.
     */
    void report(UUID hostId, ObservedReport report, Runnable unrecorded) {
        if (!alive) {
            return;
        }
        sim.run("report", () -> {
            if (!sessions.report(hostId, report.vms(), report.full())) {
                unrecorded.run();
            }
            migrations.observed(hostId, report.vms());
        });
    }

    /** An agent's migration step. */
    void migrationProgress(UUID hostId, MigrationProgress progress) {
        if (alive) {
            sim.run("migration " + progress.phase(), () -> migrations.progress(hostId, progress));
        }
    }

    void heartbeat(UUID hostId, HostUsage usage) {
        if (alive) {
            sim.run("heartbeat", () -> heartbeats.offer(hostId, usage, List.of()));
            if (!heartbeatFlushScheduled) {
                heartbeatFlushScheduled = true;
                sim.loop().after(HeartbeatBatcher.FLUSH_INTERVAL, "heartbeat write", () -> {
                    heartbeatFlushScheduled = false;
                    if (alive) {
                        sim.run("heartbeat write", heartbeats::flush);
                    }
                });
            }
        }
    }

    static boolean expected(VireoException e) {
        return switch (e.code()) {
            case UNAVAILABLE, NOT_FOUND, CONFLICT, ALREADY_EXISTS, INVALID_ARGUMENT, NO_VALID_HOST -> true;
            default -> false;
        };
    }
}
