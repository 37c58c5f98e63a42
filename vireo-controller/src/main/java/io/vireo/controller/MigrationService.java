package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.common.logging.Correlation;
import io.vireo.controller.port.ClaimRequest;
import io.vireo.controller.port.ClaimResult;
import io.vireo.controller.port.MigrationGateway;
import io.vireo.controller.port.MigrationRepository;
import io.vireo.controller.port.Repositories;
import io.vireo.controller.port.VmTransition;
import io.vireo.model.AuditRecord;
import io.vireo.model.DesiredState;
import io.vireo.model.Host;
import io.vireo.model.HostState;
import io.vireo.model.Migration;
import io.vireo.model.MigrationState;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.scheduler.PlacementResult;
import io.vireo.scheduler.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live migration of VMs between hosts, end to end: the API's request, the agents' progress, and a sweep that brings
 * every migration to a terminal state.
 *
 * <ol>
 *   <li>{@link #migrate}: the VM must run; the destination (given, or picked by the scheduler without the source) is
 *       claimed through the one claim path, {@link io.vireo.controller.port.ClaimRepository#claim} with a
 *       {@link VmTransition.HoldForMigration} (conditional on its resource generation, like every placement, with the
 *       hard rule of the VM's server group re-checked in the same transaction: a lost race picks again, a requested
 *       host that would break the rule is refused with CONFLICT); the destination is asked to prepare.
 *   <li>PREPARED from the destination: the migration is MIGRATING and the source is told where to send.
 *   <li>SOURCE_COMPLETED from the source (its instance has ended), RESUMED from the destination, or a report that
 *       the VM runs there, whichever comes first: one transaction moves the VM to the
 *       destination with the next epoch and releases the source; the source's entry is removed and the destination's
 *       upserted, so neither agent ever runs it twice.
 *   <li>FAILED from the source, or from the destination before the source was told to send, or no end within
 *       {@link #timeout} before then: the destination's hold is released and it is told to drop its half-made VM; the
 *       VM stays on the source.
 *   <li>FAILED from the destination once the source was told to send (it says so only when the VM can no longer
 *       arrive there): the VM runs on the source or nowhere; the migration fails and the VM's epoch on the source goes
 *       up, so that a source that had sent it (and refuses the old epoch) starts it again.
 *   <li>No end within {@link #timeout} once the source was told to send: the destination is asked (an abort, repeated
 *       at every sweep) and answers RESUMED or FAILED as above; a destination that was fenced counts as FAILED.
 * </ol>
 *
 * <p>Every step is idempotent (a repeated report finds the migration past that step and does nothing), so agents may
 * resend reports after reconnecting and a restarted server picks up where the last one stopped. Thread-safe:
 * decisions rest on the store's conditional transactions.
 */
public final class MigrationService {
    /** How many migrations {@link #history} returns at most. */
    public static final int MAX_HISTORY = 100;
    /** How long a migration may stay in flight before the sweep fails it: above the agents' own timeouts. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(6);
    /** How often the server sweeps migrations. */
    public static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(MigrationService.class);

    private final Repositories store;
    private final MigrationRepository migrations;
    private final Scheduler scheduler;
    private final AgentGatewayAccess agents;
    private final EventLog events;
    private final AuditLog audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final ControllerSettings settings;
    private final Duration timeout;
    /** Overdue migrations this replica has announced (one MigrationOverdue event each, not one per sweep). */
    private final Set<UUID> announcedOverdue = ConcurrentHashMap.newKeySet();

    /** Both agent channels the service needs: desired-state deltas and migration messages. */
    public record AgentGatewayAccess(io.vireo.controller.port.AgentGateway desired, MigrationGateway migration) {
        public AgentGatewayAccess {
            requireNonNull(desired, "desired is null");
            requireNonNull(migration, "migration is null");
        }
    }

    /** @param timeout how long a migration may stay in flight before the sweep fails it */
    public MigrationService(
            Repositories store,
            MigrationRepository migrations,
            Scheduler scheduler,
            AgentGatewayAccess agents,
            EventLog events,
            AuditLog audit,
            IdGenerator ids,
            Clock clock,
            ControllerSettings settings,
            Duration timeout) {
        this.store = requireNonNull(store, "store is null");
        this.migrations = requireNonNull(migrations, "migrations is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.events = requireNonNull(events, "events is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.ids = requireNonNull(ids, "ids is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** Starts migrating the VM to {@code hostName}, or to a host the scheduler picks if null. */
    public Migration migrate(RequestContext context, String nameOrId, @Nullable String hostName) {
        for (int attempt = 0; attempt < settings.claimRetries(); attempt++) {
            Vm vm = requireMigratable(context, nameOrId);
            UUID sourceId = requireNonNull(vm.hostId(), "checked above");
            Host source =
                    store.hosts().find(sourceId).orElseThrow(() -> VireoException.conflict("the VM's host is gone"));
            Host destination = pick(vm, source, hostName == null ? null : requireDestination(hostName, source));
            Migration planned =
                    Migration.requested(ids.next(), vm, destination.id(), context.correlationId(), clock.instant());
            ClaimRequest claim = ClaimRequest.of(
                    new VmTransition.HoldForMigration(planned), destination.resourceGeneration(), clock.instant());
            ClaimResult result = store.claims().claim(claim);
            if (result instanceof ClaimResult.GroupRuleBroken && hostName != null) {
                throw VireoException.conflict("moving VM '" + vm.name() + "' to host '" + destination.name()
                        + "' would break the hard rule of its server group (another member is there or on its way)");
            }
            if (result instanceof ClaimResult.Claimed) {
                // The destination starts preparing (the longest step) while the event is written.
                agents.migration()
                        .sendPrepare(
                                destination.id(),
                                planned.id(),
                                DesiredVms.of(vm, store.images()),
                                source.id(),
                                correlationId(planned));
                events.vm(
                        vm,
                        "MigrationRequested",
                        "from " + source.name() + " to " + destination.name() + " (migration " + planned.id() + ")",
                        context.correlationId());
                return planned;
            }
        }
        throw VireoException.conflict("VM '" + nameOrId + "' or its hosts are changing too fast; try again");
    }

    /** The VM's migrations, newest first. */
    public List<Migration> history(RequestContext context, String nameOrId, int limit) {
        Vm vm = vm(context, nameOrId);
        return migrations.listByVm(vm.id(), Math.clamp(limit, 1, MAX_HISTORY));
    }

    /** One migration of the VM. */
    public Migration get(RequestContext context, String nameOrId, UUID migrationId) {
        Vm vm = vm(context, nameOrId);
        return migrations
                .find(migrationId)
                .filter(m -> m.vmId().equals(vm.id()))
                .orElseThrow(() -> VireoException.notFound("migration", migrationId.toString()));
    }

    /**
     * The migration in flight of each of these VMs that has one, by VM id: what a VM, or a page of them, is in the
     * middle of. One store query per {@link MigrationRepository#MAX_VM_IDS} VMs, never one per VM. The caller has
     * read the VMs in its project already.
     */
    public Map<UUID, Migration> inFlight(List<Vm> vms) {
        Map<UUID, Migration> byVm = new HashMap<>();
        for (int from = 0; from < vms.size(); from += MigrationRepository.MAX_VM_IDS) {
            List<UUID> ids = vms.subList(from, Math.min(vms.size(), from + MigrationRepository.MAX_VM_IDS)).stream()
                    .map(Vm::id)
                    .toList();
            for (Migration migration : migrations.listInFlightByVms(ids)) {
                byVm.put(migration.vmId(), migration);
            }
        }
        return byVm;
    }

    /** Folds an agent's migration report from host {@code hostId}. */
    public void progress(UUID hostId, MigrationProgress report) {
        Migration migration = migrations.find(report.migrationId()).orElse(null);
        if (migration == null || !migration.vmId().equals(report.vmId())) {
            log.info("host {}: report for unknown migration {}", hostId, report.migrationId());
            return;
        }
        Correlation.run(migration.correlationId(), () -> progress(hostId, report, migration));
    }

    private void progress(UUID hostId, MigrationProgress report, Migration migration) {
        boolean fromSource = hostId.equals(migration.sourceHostId());
        boolean fromDestination = hostId.equals(migration.destinationHostId());
        if (!fromSource && !fromDestination) {
            return;
        }
        if (!migration.state().inFlight()) {
            // Ended (the destination's RESUMED may come first): only the source's figures may still be new.
            Migration.Figures figures = report.figures();
            if (fromSource
                    && report.phase() == MigrationProgress.Phase.SOURCE_COMPLETED
                    && figures != null
                    && migration.figures() == null) {
                migrations.recordFigures(migration.id(), figures);
                vmEvent(
                        migration,
                        "MigrationSent",
                        "source sent the VM: " + describe(figures),
                        migration.correlationId());
            }
            return;
        }
        switch (report.phase()) {
            case PREPARED -> {
                MigrationGateway.Target target = report.target();
                if (fromDestination && target != null) {
                    prepared(migration, target);
                }
            }
            case SOURCE_COMPLETED -> {
                Migration.Figures figures = report.figures();
                if (fromSource && figures != null) {
                    migrations.recordFigures(migration.id(), figures);
                    vmEvent(
                            migration,
                            "MigrationSent",
                            "source sent the VM: " + describe(figures),
                            migration.correlationId());
                    // The source's instance has ended: wherever the VM runs now, it is not there. Waiting for the
                    // destination's RESUMED (which a crash or a partition may lose) could let the timeout fail the
                    // migration and leave the guest running on a host the store does not place it on.
                    complete(migration, "the source sent the VM");
                }
            }
            case RESUMED -> {
                if (fromDestination) {
                    complete(migration, "the VM runs on the destination");
                }
            }
            case FAILED -> {
                String error = report.error().isEmpty() ? "failed" : report.error();
                if (fromSource || migration.state() == MigrationState.PREPARING) {
                    fail(migration, error);
                } else {
                    // The source was told to send, and the destination can no longer hold the VM (an agent says FAILED
                    // only once nothing waits for it there): it runs on the source, or nowhere if it had left and was
                    // lost on the way. Either way the source may run it, at a new epoch.
                    failAndRenew(migration, error);
                }
            }
        }
    }

    /**
     * Looks at a VM report from host {@code hostId}: a VM running on the destination of its in-flight migration has
     * arrived, even if the RESUMED report was lost.
     */
    public void observed(UUID hostId, List<ObservedVm> observed) {
        if (observed.stream().noneMatch(vm -> vm.power() == ObservedPower.RUNNING)) {
            return;
        }
        // One query for the (usually empty) set of migrations in flight, not one per VM of the report.
        Map<UUID, Migration> arriving = new HashMap<>();
        for (Migration migration : migrations.listInFlight()) {
            if (migration.destinationHostId().equals(hostId)) {
                arriving.put(migration.vmId(), migration);
            }
        }
        for (ObservedVm vm : observed) {
            Migration migration = arriving.get(vm.vmId());
            if (migration != null && vm.power() == ObservedPower.RUNNING) {
                complete(migration, "the destination reports the VM running");
            }
        }
    }

    /**
     * Brings stuck migrations to an end: fails those in flight for longer than the timeout, and those whose VM is
     * being deleted before the source was told to send it. (Once it was, the guest may already run on the
     * destination: the migration's own end, or the timeout, decides where the deletion is confirmed.) Returns how many
     * it failed. Called periodically, and at server start.
     */
    public int sweep() {
        Instant now = clock.instant();
        int failed = 0;
        List<Migration> inFlight = migrations.listInFlight();
        announcedOverdue.retainAll(
                Set.copyOf(inFlight.stream().map(Migration::id).toList()));
        for (Migration migration : inFlight) {
            Vm vm = store.vms().find(migration.vmId()).orElse(null);
            boolean deleting = vm == null || vm.desiredState() == DesiredState.DELETED;
            if (deleting && migration.state() == MigrationState.PREPARING) {
                failed += fail(migration, "the VM is being deleted") ? 1 : 0;
            } else if (Duration.between(migration.requestedAt(), now).compareTo(timeout) > 0) {
                failed += overdue(migration) ? 1 : 0;
            }
        }
        return failed;
    }

    /**
     * A migration in flight for longer than the timeout. Before the source was told to send, it fails: the VM never
     * left. After, the VM may run on either host and neither said so in time (reports lost to a crash or a partition):
     * failing it on time alone would place the VM on a source that may have sent it. So the destination is asked,
     * by an abort, which it answers with RESUMED (the VM runs there) or FAILED (it can no longer arrive there); until
     * then it stays in flight. A destination that was fenced holds nothing any more. Returns whether it failed.
     */
    private boolean overdue(Migration migration) {
        String late = "no end within " + timeout.toSeconds() + " s";
        if (migration.state() == MigrationState.PREPARING) {
            return fail(migration, late);
        }
        HostState destination = store.hosts()
                .find(migration.destinationHostId())
                .map(Host::state)
                .orElse(HostState.FENCED);
        if (destination == HostState.FENCED) {
            return failAndRenew(migration, late + ", and the destination host was fenced");
        }
        if (announcedOverdue.add(migration.id())) {
            vmEvent(
                    migration,
                    "MigrationOverdue",
                    late + " and no word of where the VM runs; asking " + hostName(migration.destinationHostId())
                            + ", the destination, until it answers",
                    migration.correlationId());
        }
        agents.migration()
                .sendAbort(
                        migration.destinationHostId(),
                        migration.id(),
                        migration.vmId(),
                        late,
                        correlationId(migration));
        return false;
    }

    private void prepared(Migration migration, MigrationGateway.Target target) {
        if (!migrations.markMigrating(migration.id(), clock.instant())) {
            return; // a repeated report, or the migration ended meanwhile
        }
        agents.migration()
                .sendStart(
                        migration.sourceHostId(),
                        migration.id(),
                        migration.vmId(),
                        migration.sourceEpoch(),
                        target,
                        migration.destinationHostId(),
                        correlationId(migration));
        vmEvent(
                migration,
                "MigrationPrepared",
                "destination listens on " + target.host() + ":" + target.migrationPort(),
                migration.correlationId());
    }

    private void complete(Migration migration, String why) {
        if (!migrations.complete(migration.id(), clock.instant())) {
            return;
        }
        Vm moved = store.vms().find(migration.vmId()).orElse(null);
        if (moved == null) {
            return;
        }
        String destination = hostName(migration.destinationHostId());
        events.vm(moved, "Migrated", "to " + destination + ": " + why, migration.correlationId());
        auditOutcome(
                moved,
                migration,
                "system.completeMigration",
                AuditRecord.Outcome.OK,
                "migration " + migration.id() + " from " + hostName(migration.sourceHostId()) + " to " + destination
                        + ": " + why);
        agents.desired().sendDesiredDelta(migration.sourceHostId(), List.of(), List.of(moved.id()));
        agents.desired()
                .sendDesiredDelta(
                        migration.destinationHostId(), List.of(DesiredVms.of(moved, store.images())), List.of());
    }

    private boolean fail(Migration migration, String error) {
        if (!migrations.fail(migration.id(), error, clock.instant())) {
            return false;
        }
        failed(migration, error + "; the VM stays on " + hostName(migration.sourceHostId()));
        agents.migration()
                .sendAbort(
                        migration.destinationHostId(),
                        migration.id(),
                        migration.vmId(),
                        error,
                        correlationId(migration));
        return true;
    }

    /** Fails a migration whose VM is on the source or nowhere; see {@link MigrationRepository#failAndRenew}. */
    private boolean failAndRenew(Migration migration, String error) {
        if (!migrations.failAndRenew(migration.id(), error, clock.instant())) {
            return false;
        }
        String source = hostName(migration.sourceHostId());
        failed(
                migration,
                error + "; the VM is not on " + hostName(migration.destinationHostId()) + ": it runs on " + source
                        + ", or starts there again if it had left");
        store.vms()
                .find(migration.vmId())
                .filter(vm -> migration.sourceHostId().equals(vm.hostId()))
                .ifPresent(vm -> agents.desired()
                        .sendDesiredDelta(
                                migration.sourceHostId(), List.of(DesiredVms.of(vm, store.images())), List.of()));
        return true;
    }

    private void failed(Migration migration, String message) {
        store.vms().find(migration.vmId()).ifPresent(vm -> {
            events.vm(vm, "MigrationFailed", message, migration.correlationId());
            auditOutcome(
                    vm,
                    migration,
                    "system.failMigration",
                    AuditRecord.Outcome.FAILED,
                    "migration " + migration.id() + " to " + hostName(migration.destinationHostId()) + ": " + message);
        });
    }

    private Vm requireMigratable(RequestContext context, String nameOrId) {
        Vm vm = vm(context, nameOrId);
        if (vm.hostId() == null || vm.state() != VmState.RUNNING || vm.desiredState() != DesiredState.RUNNING) {
            throw VireoException.conflict(
                    "VM '" + vm.name() + "' can be migrated only while it runs (state " + vm.state() + ")");
        }
        Optional<Migration> last = migrations.listByVm(vm.id(), 1).stream().findFirst();
        if (last.isPresent() && last.get().state().inFlight()) {
            throw VireoException.conflict("VM '" + vm.name() + "' is already migrating (migration "
                    + last.get().id() + ")");
        }
        return vm;
    }

    private Host requireDestination(String hostName, Host source) {
        Host host = store.hosts().findByName(hostName).orElseThrow(() -> VireoException.notFound("host", hostName));
        if (host.id().equals(source.id())) {
            throw VireoException.invalid("host", "is the VM's current host");
        }
        if (host.state() != HostState.UP) {
            throw VireoException.conflict("host '" + hostName + "' is " + host.state());
        }
        if (!host.driver().equals(source.driver())) {
            throw VireoException.conflict("host '" + hostName + "' runs the " + host.driver()
                    + " driver, the VM's host the " + source.driver() + " driver");
        }
        return host;
    }

    /**
     * The destination: the scheduler's choice among the hosts of the source's driver other than the source, or, with
     * {@code requested}, that host if the scheduler's filters accept it (capacity, traits, zone, server group).
     */
    private Host pick(Vm vm, Host source, @Nullable Host requested) {
        List<Host> candidates = requested != null
                ? List.of(requested)
                : store.hosts().list().stream()
                        .filter(host -> host.driver().equals(source.driver())
                                && !host.id().equals(source.id()))
                        .toList();
        PlacementResult result = scheduler.place(candidates, new PlacementRequests(store).of(vm));
        if (result instanceof PlacementResult.Placed placed) {
            return placed.host();
        }
        String why = ((PlacementResult.NoValidHost) result).explanation();
        throw VireoException.conflict(
                requested != null
                        ? "host '" + requested.name() + "' cannot take VM '" + vm.name() + "': " + why
                        : "no host can take VM '" + vm.name() + "': " + why);
    }

    private Vm vm(RequestContext context, String nameOrId) {
        Optional<UUID> id = VmService.parseUuid(nameOrId);
        Optional<Vm> vm = id.isPresent()
                ? store.vms().find(id.get()).filter(v -> v.projectId().equals(context.projectId()))
                : store.vms().findByName(context.projectId(), nameOrId);
        return vm.filter(v -> v.state() != VmState.DELETED).orElseThrow(() -> VireoException.notFound("vm", nameOrId));
    }

    private void vmEvent(Migration migration, String type, String message, @Nullable String correlationId) {
        store.vms().find(migration.vmId()).ifPresent(vm -> events.vm(vm, type, message, correlationId));
    }

    /** The end of a migration, under the correlation id of the call that asked for it. */
    private void auditOutcome(Vm vm, Migration migration, String action, AuditRecord.Outcome outcome, String detail) {
        audit.system(
                "migration",
                action,
                outcome,
                vm.projectId(),
                AuditRecord.Target.of("vm", vm.id(), vm.name()),
                detail,
                migration.correlationId());
    }

    private static String correlationId(Migration migration) {
        String id = migration.correlationId();
        return id == null ? "" : id;
    }

    private String hostName(UUID hostId) {
        return store.hosts().find(hostId).map(Host::name).orElse(hostId.toString());
    }

    static String describe(Migration.Figures figures) {
        return "total " + figures.total().toMillis() + " ms (disk copy "
                + figures.diskCopy().toMillis()
                + " ms, memory " + figures.memory().toMillis() + " ms), downtime "
                + figures.downtime().toMillis()
                + " ms, " + figures.transferredBytes() / (1024 * 1024) + " MiB sent";
    }
}
