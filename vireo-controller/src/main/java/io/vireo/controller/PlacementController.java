package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.controller.port.AgentGateway;
import io.vireo.controller.port.ClaimRequest;
import io.vireo.controller.port.ClaimResult;
import io.vireo.controller.port.Repositories;
import io.vireo.controller.port.VmRepository;
import io.vireo.controller.port.VmTransition;
import io.vireo.model.AuditRecord;
import io.vireo.model.Host;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.scheduler.GangPlacementResult;
import io.vireo.scheduler.PlacementBatch;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.PlacementResult;
import io.vireo.scheduler.Scheduler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places PENDING VMs: asks the scheduler for a host, then claims it through the one claim path. A pass lists the hosts
 * once and places its VMs in one {@link PlacementBatch}, telling it about each claimed host (as the store returned it)
 * or re-read host, so the scheduler can keep its converted snapshot instead of converting every host per VM. The
 * request carries the VM's zone, traits and server group (with its members' current hosts). The VMs of a gang (one
 * create with a count) are placed together, all or none, and claimed in one store transaction. A lost race
 * ({@link ClaimResult.HostChanged}, or {@link ClaimResult.GroupRuleBroken} when a member of the VM's group was placed
 * meanwhile) re-plans on a fresh snapshot or fresh group members, at most {@link ControllerSettings#claimRetries()}
 * times; a VM no host can take goes to ERROR with the scheduler's explanation.
 *
 * <p>Threading: {@link #placePending()} may run on several threads or server replicas at once; correctness rests on the
 * store's conditional claim, not on exclusion. Each pass takes its pending VMs from the store
 * ({@link VmRepository#takePending}), so concurrent passes work on disjoint VMs instead of racing for the same ones. {@link #run()} is the loop body of one dedicated thread; {@link #wake()}
 * may be called from any thread.
 */
public final class PlacementController implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(PlacementController.class);

    private final Repositories store;
    private final Scheduler scheduler;
    private final AgentGateway agents;
    private final EventLog events;
    private final AuditLog audit;
    private final Clock clock;
    private final ControllerSettings settings;
    private final Semaphore wakeups = new Semaphore(0);
    private final PlacementRequests requests;
    /** Who holds the pending VMs this controller's passes take (one owner per controller, hence per replica). */
    private final UUID owner;

    private final AtomicLong claimConflicts = new AtomicLong();

    /** The audit log's name of this component and of its decision. */
    static final String AUDIT_NAME = "placement";

    static final String PLACE_VM = "system.placeVm";

    /** Full batches placed back to back before the loop waits again. */
    private static final int MAX_PASSES_PER_WAKEUP = 100;

    public PlacementController(
            Repositories store,
            Scheduler scheduler,
            AgentGateway agents,
            EventLog events,
            AuditLog audit,
            Clock clock,
            ControllerSettings settings,
            IdGenerator ids) {
        this.store = requireNonNull(store, "store is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.events = requireNonNull(events, "events is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.requests = new PlacementRequests(store);
        this.owner = requireNonNull(ids, "ids is null").next();
    }

    /** Asks the loop to run a pass soon. */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    /** Runs passes until interrupted: one when woken, or every poll interval. */
    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                wakeups.tryAcquire(settings.placementPollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
                for (int pass = 0; pass < MAX_PASSES_PER_WAKEUP; pass++) {
                    if (placePending() < settings.placementBatchSize()) {
                        break; // a partial batch: nothing more is waiting
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("placement pass failed; retrying on the next pass", e);
            }
        }
    }

    /**
     * One pass over up to a batch of pending VMs, which it takes from the store for itself (another replica's pass
     * takes others) and gives back when done. Returns how many pending VMs it took.
     */
    public int placePending() {
        List<Vm> pending = store.vms()
                .takePending(owner, settings.placementBatchSize(), settings.placementLease(), clock.instant());
        if (pending.isEmpty()) {
            return 0;
        }
        try {
            PlacementBatch batch = scheduler.batch(store.hosts().list());
            Map<UUID, List<Vm>> placedByHost = new HashMap<>();
            Map<UUID, List<Vm>> gangs = new LinkedHashMap<>();
            for (Vm vm : pending) {
                UUID gangId = vm.constraints().gangId();
                if (gangId == null) {
                    placeOne(vm, batch, placedByHost);
                } else {
                    gangs.computeIfAbsent(gangId, id -> new ArrayList<>()).add(vm);
                }
            }
            gangs.values().forEach(gang -> placeGang(gang, batch, placedByHost));
            placedByHost.forEach((hostId, vms) -> agents.sendDesiredDelta(
                    hostId,
                    vms.stream().map(vm -> DesiredVms.of(vm, store.images())).toList(),
                    List.of()));
        } finally {
            store.vms().releasePending(owner, pending.stream().map(Vm::id).toList());
        }
        return pending.size();
    }

    /** How many claims this controller lost because another placement pass had placed the VM first. */
    public long claimConflicts() {
        return claimConflicts.get();
    }

    private void placeOne(Vm vm, PlacementBatch batch, Map<UUID, List<Vm>> placedByHost) {
        PlacementRequest request = requests.forCreate(vm);
        for (int attempt = 0; attempt < settings.claimRetries(); attempt++) {
            PlacementResult result = batch.place(request);
            if (result instanceof PlacementResult.NoValidHost none) {
                unplaceable(vm, none.explanation());
                return;
            }
            Host host = ((PlacementResult.Placed) result).host();
            VmTransition place = new VmTransition.Place(vm.id(), host.id(), vm.claimedResources());
            switch (store.claims().claim(ClaimRequest.of(place, host.resourceGeneration(), clock.instant()))) {
                case ClaimResult.Claimed claimed -> {
                    claimed.hosts().forEach(batch::update);
                    scheduled(vm, host, placedByHost);
                    return;
                }
                case ClaimResult.VmChanged changed -> {
                    conflictIfPlacedElsewhere(vm);
                    return;
                }
                case ClaimResult.HostChanged changed ->
                    store.hosts().find(changed.hostId()).ifPresent(batch::update);
                case ClaimResult.GroupRuleBroken broken ->
                    request = requests.forCreate(vm); // another replica placed a member meanwhile
                case ClaimResult.PerHost perHost -> throw perHostAnswer(perHost);
            }
        }
        log.info("vm {}: lost {} claim races in a row; will retry on the next pass", vm.id(), settings.claimRetries());
    }

    /**
     * Places a gang all or nothing: one scheduler decision for every member, then one claim of every member's host in
     * one store transaction. A lost race re-plans the whole gang on re-read hosts (or group members); a member gone
     * meanwhile leaves the others to be placed as a smaller gang; a gang that cannot fit puts every member in ERROR
     * with the scheduler's explanation.
     */
    private void placeGang(List<Vm> members, PlacementBatch batch, Map<UUID, List<Vm>> placedByHost) {
        List<Vm> gang = members.stream().sorted(VmRepository.GANG_MEMBER_ORDER).toList();
        for (int attempt = 0; attempt < settings.claimRetries() && !gang.isEmpty(); attempt++) {
            PlacementRequest template = requests.forCreate(gang.get(0));
            GangPlacementResult result =
                    batch.placeGang(template, gang.stream().map(Vm::id).toList());
            if (result instanceof GangPlacementResult.NoValidHost none) {
                for (Vm vm : gang) {
                    unplaceable(vm, none.explanation());
                }
                return;
            }
            List<Host> hosts = ((GangPlacementResult.Placed) result).hosts();
            ClaimRequest.Builder claim = ClaimRequest.allOrNothing(clock.instant());
            for (int member = 0; member < gang.size(); member++) {
                Vm vm = gang.get(member);
                Host host = hosts.get(member);
                claim.add(new VmTransition.Place(vm.id(), host.id(), vm.claimedResources()), host.resourceGeneration());
            }
            switch (store.claims().claim(claim.build())) {
                case ClaimResult.Claimed claimed -> {
                    claimed.hosts().forEach(batch::update);
                    for (int member = 0; member < gang.size(); member++) {
                        scheduled(gang.get(member), hosts.get(member), placedByHost);
                    }
                    return;
                }
                case ClaimResult.VmChanged changed -> gang = stillClaimable(gang);
                case ClaimResult.HostChanged changed ->
                    hosts.stream()
                            .map(Host::id)
                            .distinct()
                            .forEach(id -> store.hosts().find(id).ifPresent(batch::update));
                case ClaimResult.GroupRuleBroken broken -> {} // the template is built again from the current members
                case ClaimResult.PerHost perHost -> throw perHostAnswer(perHost);
            }
        }
        if (!gang.isEmpty()) {
            log.info(
                    "gang {}: lost {} claim races in a row; will retry on the next pass",
                    gang.get(0).constraints().gangId(),
                    settings.claimRetries());
        }
    }

    /** The gang's members that can still be claimed, as the store has them now. */
    private List<Vm> stillClaimable(List<Vm> gang) {
        List<Vm> left = new ArrayList<>();
        for (Vm vm : gang) {
            Optional<Vm> now = store.vms().find(vm.id());
            if (now.isPresent()
                    && now.get().state() == VmState.PENDING
                    && now.get().hostId() == null) {
                left.add(now.get());
            } else {
                now.ifPresent(this::conflictIfPlacedElsewhere);
            }
        }
        return left;
    }

    private void scheduled(Vm vm, Host host, Map<UUID, List<Vm>> placedByHost) {
        Vm placed = store.vms().find(vm.id()).orElse(vm);
        placedByHost.computeIfAbsent(host.id(), id -> new ArrayList<>()).add(placed);
        events.vm(placed, "Scheduled", "on host " + host.name(), null);
        auditPlacement(placed, AuditRecord.Outcome.OK, "on host " + host.name() + " (" + host.id() + ")");
    }

    /** Puts the VM in ERROR with the scheduler's explanation, unless it changed meanwhile. */
    private void unplaceable(Vm vm, String explanation) {
        if (store.vms().markUnplaceable(vm.id(), vm.generation(), explanation, clock.instant())) {
            events.vm(vm, "NoValidHost", explanation, null);
            auditPlacement(vm, AuditRecord.Outcome.FAILED, explanation);
        }
    }

    private void auditPlacement(Vm vm, AuditRecord.Outcome outcome, String detail) {
        audit.record(AuditRecord.builder(AuditRecord.Actor.system(AUDIT_NAME), PLACE_VM, outcome)
                .project(vm.projectId())
                .target("vm", vm.id(), vm.name())
                .errorCode(outcome == AuditRecord.Outcome.OK ? null : ErrorCode.NO_VALID_HOST.name())
                .detail(detail));
    }

    /** Counts and records a claim lost because the VM was placed (by another pass) before this one claimed it. */
    private void conflictIfPlacedElsewhere(Vm vm) {
        Optional<Vm> now = vm.hostId() == null ? store.vms().find(vm.id()) : Optional.of(vm);
        UUID hostId = now.map(Vm::hostId).orElse(null);
        if (hostId != null && now.get().state() != VmState.DELETED) {
            claimConflicts.incrementAndGet();
            events.vm(now.get(), "ClaimConflict", "placed by another placement pass first", null);
        }
    }

    private static IllegalStateException perHostAnswer(ClaimResult.PerHost answer) {
        return new IllegalStateException("the store answered an all-or-nothing claim per host: " + answer);
    }
}
