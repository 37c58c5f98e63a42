package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.AgentGateway;
import io.vireo.controller.port.ClaimRepository.ClaimOutcome;
import io.vireo.controller.port.Repositories;
import io.vireo.model.Host;
import io.vireo.model.Vm;
import io.vireo.scheduler.PlacementBatch;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.PlacementResult;
import io.vireo.scheduler.Scheduler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places PENDING VMs: asks the scheduler for a host, then claims it through the one claim path. A pass lists the hosts
 * once and places its VMs in one {@link PlacementBatch}, telling it about each claimed or re-read host, so the
 * scheduler can keep its converted snapshot instead of converting every host per VM. The request carries the VM's zone, traits and server group (with its members' current hosts). A lost race
 * ({@link ClaimOutcome#HOST_CHANGED}, or {@link ClaimOutcome#GROUP_RULE_BROKEN} when a member of the VM's group was
 * placed meanwhile) re-plans on a fresh snapshot or fresh group members, at most
 * {@link ControllerSettings#claimRetries()} times; a VM no host can take goes to ERROR with the scheduler's
 * explanation.
 *
 * <p>Threading: {@link #placePending()} may run on several threads or server replicas at once; correctness rests on the
 * store's conditional claim, not on exclusion. {@link #run()} is the loop body of one dedicated thread; {@link #wake()}
 * may be called from any thread.
 */
public final class PlacementController implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(PlacementController.class);

    private final Repositories store;
    private final Scheduler scheduler;
    private final AgentGateway agents;
    private final EventLog events;
    private final Clock clock;
    private final ControllerSettings settings;
    private final Semaphore wakeups = new Semaphore(0);
    private final PlacementRequests requests;

    /** Full batches placed back to back before the loop waits again. */
    private static final int MAX_PASSES_PER_WAKEUP = 100;

    public PlacementController(
            Repositories store,
            Scheduler scheduler,
            AgentGateway agents,
            EventLog events,
            Clock clock,
            ControllerSettings settings) {
        this.store = requireNonNull(store, "store is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.events = requireNonNull(events, "events is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.requests = new PlacementRequests(store);
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

    /** One pass over up to a batch of pending VMs. Returns how many pending VMs it took. */
    public int placePending() {
        List<Vm> pending = store.vms().listPending(settings.placementBatchSize());
        if (pending.isEmpty()) {
            return 0;
        }
        PlacementBatch batch = scheduler.batch(store.hosts().list());
        Map<UUID, List<Vm>> placedByHost = new HashMap<>();
        for (Vm vm : pending) {
            placeOne(vm, batch, placedByHost);
        }
        placedByHost.forEach((hostId, vms) -> agents.sendDesiredDelta(
                hostId,
                vms.stream().map(vm -> DesiredVms.of(vm, store.images())).toList(),
                List.of()));
        return pending.size();
    }

    private void placeOne(Vm vm, PlacementBatch batch, Map<UUID, List<Vm>> placedByHost) {
        PlacementRequest request = requests.forCreate(vm);
        for (int attempt = 0; attempt < settings.claimRetries(); attempt++) {
            PlacementResult result = batch.place(request);
            if (result instanceof PlacementResult.NoValidHost none) {
                if (store.vms().markUnplaceable(vm.id(), vm.generation(), none.explanation(), clock.instant())) {
                    events.vm(vm, "NoValidHost", none.explanation(), null);
                }
                return;
            }
            Host host = ((PlacementResult.Placed) result).host();
            ClaimOutcome outcome = store.claims()
                    .claim(vm.id(), host.id(), host.resourceGeneration(), vm.claimedResources(), clock.instant());
            switch (outcome) {
                case CLAIMED -> {
                    batch.update(claimed(host, vm));
                    Vm placed = store.vms().find(vm.id()).orElse(vm);
                    placedByHost
                            .computeIfAbsent(host.id(), id -> new ArrayList<>())
                            .add(placed);
                    events.vm(placed, "Scheduled", "on host " + host.name(), null);
                    return;
                }
                case VM_CHANGED -> {
                    return;
                }
                case HOST_CHANGED -> store.hosts().find(host.id()).ifPresent(batch::update);
                case GROUP_RULE_BROKEN -> request = requests.forCreate(vm); // another replica placed a member meanwhile
            }
        }
        log.info("vm {}: lost {} claim races in a row; will retry on the next pass", vm.id(), settings.claimRetries());
    }

    /** The host as the store has it after our claim: allocation added, generation bumped. */
    private static Host claimed(Host host, Vm vm) {
        return new Host(
                host.id(),
                host.name(),
                host.createdAt(),
                host.state(),
                host.capacity(),
                host.allocated().plus(vm.claimedResources()),
                host.resourceGeneration() + 1,
                host.capabilities(),
                host.driver(),
                host.lastHeartbeatAt(),
                host.usage(),
                host.capacityPolicy(),
                host.capacityPolicyOverridden());
    }
}
