package io.vireo.agent.reconcile;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.hypervisor.LiveMigration;
import io.vireo.agent.support.ExponentialBackoff;
import io.vireo.agent.support.JsonStateFiles;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The level-triggered reconciler of one host: it holds the desired set of VMs (a full set replaces it, a delta upserts
 * and removes entries, a removal means delete) and converges the driver on it, one {@link VmPlanner} step at a time.
 *
 * <p>Threading: the reconciler owns no thread. Its state belongs to whoever steps it with {@link #runOnce} — one
 * thread at a time: the agent's loop thread in production ({@code io.vireo.agent.ReconcilerLoop}), the simulator's
 * single thread in simulation. Each step takes events from a bounded queue (desired changes from the transport,
 * operation results, report requests) and never blocks on the driver: driver calls go to the injected
 * {@link Executor}, at most {@code maxConcurrentOperations} at once and at most one per VM, and their results come
 * back as events. The public methods other than {@link #runOnce} and {@link #drain} are thread-safe and only enqueue;
 * they block while the queue is full. Reports go to the {@link ReportSink} from the stepping thread, in order.
 *
 * <p>Invariants: a desired entry with an epoch below the highest one seen for its VM is ignored; VMs that no desired
 * entry names are left alone, unless a full desired set arrives without a VM the agent manages (it has bookkeeping or
 * was desired), which is then deleted; per-VM bookkeeping (applied generation, reboot count, epoch) is persisted under
 * {@code <stateDir>/vms/} before it is reported, so a restarted reconciler neither recreates nor reboots again. A
 * failed operation shows the VM as {@code FAILED} with the message and is retried after a capped exponential backoff;
 * the driver is listed every {@code rescanInterval} to catch changes made behind the agent's back, and every VM is
 * reported every {@code fullReportInterval} even if nothing changed, so a report the server lost or overwrote with an
 * older one is put right without a reconnection.
 */
public final class VmReconciler implements AutoCloseable {
    /** The directory under the state directory that holds one bookkeeping file per managed VM. */
    public static final String STATE_DIRECTORY = "vms";
    /** The directory under the state directory that holds one record per VM that left by live migration. */
    public static final String DEPARTED_DIRECTORY = "departed";
    /** How long a departed VM's record is kept: far longer than any message can be in flight. */
    public static final Duration DEPARTURE_RETENTION = Duration.ofHours(24);
    /**
     * The file a fence guard writes in the state directory before it ends every instance of the host (ADR 19): while
     * it exists the reconciler starts nothing (no create, start, resume or reboot), since the server may be restarting
     * these VMs elsewhere. {@link #unfence} removes it once the host has registered again and its fresh desired set is
     * applied.
     */
    public static final String FENCED_MARKER = "fenced";

    private static final Logger log = LoggerFactory.getLogger(VmReconciler.class);
    private static final Duration ENQUEUE_RECHECK = Duration.ofMillis(100);

    private sealed interface Event {}

    private record DesiredReplaced(List<DesiredVm> vms) implements Event {}

    private record Departed(UUID vmId, long epoch) implements Event {}

    private record Stayed(UUID vmId, long epoch) implements Event {}

    private record Arrived(UUID vmId, Instant startedAt) implements Event {}

    private record DesiredChanged(List<DesiredVm> upserts, List<UUID> removals) implements Event {}

    private record Completed(OperationResult result) implements Event {}

    private record Scanned(
            long startTick, List<DriverVm> vms, @Nullable String failure) implements Event {}

    private record FullReportRequested() implements Event {}

    private record Unfenced() implements Event {}

    private record Wakeup() implements Event {}

    private record Timer(Instant at, UUID vmId) {}

    private final HypervisorDriver driver;
    private final ReconcilerSettings settings;
    private final Clock clock;
    private final ExponentialBackoff retryBackoff;
    private final JsonStateFiles<VmBookkeeping> bookkeepingFiles;
    private final JsonStateFiles<VmDeparture> departureFiles;
    private final Path fencedMarker;
    private final Map<UUID, VmDeparture> departures = new HashMap<>();
    private final OperationRunner runner;
    private final BlockingQueue<Event> events;
    private final Semaphore permits;
    private final Executor operations;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closing;
    private volatile HostAllocation publishedAllocation = HostAllocation.NONE;
    private volatile ReportSink sink = ReportSink.DISCARD;
    private volatile boolean idle = true;

    // Confined to the stepping thread (and to start(), before the first step).
    private final Map<UUID, VmEntry> entries = new HashMap<>();
    private final Set<UUID> dirty = new LinkedHashSet<>();
    private final Set<UUID> changed = new LinkedHashSet<>();
    private final List<ObservedVm> vanished = new ArrayList<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(Comparator.comparing(Timer::at));
    private HostAllocation allocation = HostAllocation.NONE;
    private long tick;
    private int operationsInFlight;
    private boolean scanInFlight;
    private boolean fullReportRequested;
    private Instant nextScanAt = Instant.MIN;
    private Instant nextFullReportAt = Instant.MAX;

    /**
     * A bug planted on purpose, so that the simulator can show its invariant checkers catch what it causes. Only the
     * simulator may use one (a layering rule holds it to that); everything else gets {@link #NONE}.
     *
     * @param ignoresEpochs the reconciler takes every desired entry, however stale its epoch
     */
    public record PlantedBugs(boolean ignoresEpochs) {
        public static final PlantedBugs NONE = new PlantedBugs(false);
    }

    private final PlantedBugs bugs;

    /**
     * @param operations runs driver operations; each task it is given must run exactly once, on any thread (a virtual
     *     thread per task in production, the simulator's queue in simulation)
     */
    public VmReconciler(
            HypervisorDriver driver,
            Path stateDir,
            ReconcilerSettings settings,
            Clock clock,
            RandomGenerator random,
            Executor operations) {
        this(driver, stateDir, settings, clock, random, operations, PlantedBugs.NONE);
    }

    /** A reconciler with a planted bug: for the simulator's mutation runs only. */
    public VmReconciler(
            HypervisorDriver driver,
            Path stateDir,
            ReconcilerSettings settings,
            Clock clock,
            RandomGenerator random,
            Executor operations,
            PlantedBugs bugs) {
        this.bugs = requireNonNull(bugs, "bugs is null");
        this.driver = requireNonNull(driver, "driver is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.retryBackoff = new ExponentialBackoff(settings.retryBackoffMin(), settings.retryBackoffMax(), random);
        this.bookkeepingFiles = new JsonStateFiles<>(stateDir.resolve(STATE_DIRECTORY), VmBookkeeping.class);
        this.departureFiles = new JsonStateFiles<>(stateDir.resolve(DEPARTED_DIRECTORY), VmDeparture.class);
        this.fencedMarker = stateDir.resolve(FENCED_MARKER);
        this.runner = new OperationRunner(driver, bookkeepingFiles, settings.stopGracePeriod());
        this.events = new ArrayBlockingQueue<>(settings.eventQueueCapacity());
        this.permits = new Semaphore(settings.maxConcurrentOperations());
        this.operations = requireNonNull(operations, "operations is null");
    }

    /**
     * Loads the bookkeeping and lists the driver once (adopting the VMs that outlived a previous agent); then the
     * reconciler is ready to be stepped. Throws if the driver cannot be listed: an agent that cannot see its hypervisor
     * must not start.
     */
    public void start(ReportSink reportSink) {
        requireNonNull(reportSink, "reportSink is null");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("reconciler already started");
        }
        sink = reportSink;
        for (VmBookkeeping bookkeeping : bookkeepingFiles.readAll()) {
            entry(bookkeeping.vmId()).bookkeeping = bookkeeping;
        }
        Instant keepFrom = clock.instant().minus(DEPARTURE_RETENTION);
        List<DriverVm> listed = driver.list();
        Set<UUID> markers = new HashSet<>();
        for (DriverVm vm : listed) {
            if (migratedMarker(vm)) {
                markers.add(vm.vmId());
            }
        }
        for (VmDeparture departure : departureFiles.readAll()) {
            // kept while the driver keeps the VM's marker: without it, a VM placed here again would be re-created
            if (departure.at().isBefore(keepFrom) && !markers.contains(departure.vmId())) {
                departureFiles.delete(departure.vmId());
            } else {
                departures.put(departure.vmId(), departure);
            }
        }
        applyScan(tick, listed);
        nextScanAt = clock.instant().plus(settings.rescanInterval());
        nextFullReportAt = clock.instant().plus(settings.fullReportInterval());
        log.info("Reconciler started with {} VMs known", entries.size());
    }

    /**
     * What a fence guard does before it ends the host's instances: writes {@link #FENCED_MARKER} under {@code stateDir}
     * (durably: a reconciler that starts or restarts later sees it).
     */
    public static void fence(Path stateDir, Instant at) {
        Path marker = stateDir.resolve(FENCED_MARKER);
        try {
            Files.writeString(marker, at.toString() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
    }

    /** Whether a fence guard has fenced the host under {@code stateDir} and no registration has lifted it yet. */
    public static boolean fenced(Path stateDir) {
        return Files.exists(stateDir.resolve(FENCED_MARKER));
    }

    /**
     * The host registered again and the desired set the server sent then has been given to {@link #replaceDesired}:
     * VMs the server moved elsewhere while the host was fenced are no longer in it, so the reconciler may start VMs
     * again. Call after that {@code replaceDesired}, from the same thread.
     */
    public void unfence() {
        enqueue(new Unfenced());
    }

    /** Replaces the whole desired set, as the server sends it after every (re)connection. */
    public void replaceDesired(List<DesiredVm> vms) {
        enqueue(new DesiredReplaced(List.copyOf(vms)));
    }

    /** Upserts whole desired entries and removes others (a removed VM is deleted). */
    public void applyDelta(List<DesiredVm> upserts, Collection<UUID> removals) {
        enqueue(new DesiredChanged(List.copyOf(upserts), List.copyOf(removals)));
    }

    /**
     * VM {@code vmId}, placed here at epoch {@code epoch}, is leaving this host by live migration: from now on, desired
     * entries of that epoch or lower are stale and ignored. Recorded on disk before this returns, so the caller starts
     * sending only once a restarted agent would ignore them too: the guest may run on the destination from the moment
     * it is sent, and this host must never start it again even if it loses power before it learns the outcome. Call
     * from any thread; {@link #stayed} withdraws it if the VM did not leave.
     */
    public void departed(UUID vmId, long epoch) {
        requireNonNull(vmId, "vmId is null");
        departureFiles.write(vmId, new VmDeparture(vmId, epoch, clock.instant()));
        enqueue(new Departed(vmId, epoch));
    }

    /**
     * The live migration that {@link #departed} announced failed before the guest could run elsewhere: VM {@code
     * vmId} stays, and its desired entries of epoch {@code epoch} apply again. Call from any thread.
     */
    public void stayed(UUID vmId, long epoch) {
        enqueue(new Stayed(requireNonNull(vmId, "vmId is null"), epoch));
    }

    /**
     * VM {@code vmId} has arrived here by live migration and runs: it shows in reports at once (with no epoch, until
     * its desired entry comes), so that a full report sent before that entry arrives does not say it is absent.
     */
    public void arrived(UUID vmId, Instant startedAt) {
        enqueue(new Arrived(requireNonNull(vmId, "vmId is null"), requireNonNull(startedAt, "startedAt is null")));
    }

    /**
     * Asks for one full report (every VM) to the sink. It is sent at the end of the loop iteration that handles the
     * request, so it reflects every event enqueued before the request and the operations those events started.
     */
    public void requestFullReport() {
        enqueue(new FullReportRequested());
    }

    /**
     * Whether, at the end of the last step, no operation was in flight and none was waiting to start. Tests use it,
     * after a full report has shown that their events were handled, to wait for the dust to settle.
     */
    public boolean idle() {
        return idle;
    }

    /** The host allocation as of the loop's last iteration. Thread-safe, never blocks. */
    public HostAllocation allocation() {
        return publishedAllocation;
    }

    /**
     * Makes {@link #runOnce} return false from now on, waking it if it waits. The VMs keep running: closing the agent is
     * not stopping the host. The caller then {@link #drain drains} the operations in flight.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        events.offer(new Wakeup());
        log.info("Reconciler closed");
    }

    private void enqueue(Event event) {
        try {
            while (!events.offer(event, ENQUEUE_RECHECK.toNanos(), TimeUnit.NANOSECONDS)) {
                if (closing) {
                    log.debug("Reconciler closed; dropping {}", event.getClass().getSimpleName());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One step: waits up to {@code maxWait} for an event (not at all if zero), then handles every queued event, fires
     * due timers, starts a rescan if due and dispatches the operations that may start, and reports. Returns false,
     * without stepping, once {@link #close} has been called.
     */
    public boolean runOnce(Duration maxWait) throws InterruptedException {
        if (closing) {
            return false;
        }
        Event event = maxWait.isPositive() ? events.poll(maxWait.toNanos(), TimeUnit.NANOSECONDS) : events.poll();
        if (closing) {
            return false;
        }
        iterate(event);
        return true;
    }

    /** How long a step may wait for events before timers or the rescan need it: at most the rescan interval. */
    public Duration maxWait() {
        return Duration.ofNanos(waitNanos());
    }

    /** Whether an event is waiting to be handled (the simulator steps a reconciler while one is). */
    public boolean hasEvents() {
        return !events.isEmpty();
    }

    private void iterate(@Nullable Event first) {
        try {
            int handled = 0;
            for (Event event = first; event != null; event = events.poll()) {
                handle(event);
                if (++handled >= settings.eventQueueCapacity()) {
                    break;
                }
            }
            Instant now = clock.instant();
            fireTimers(now);
            maybeScan(now);
            dispatch(now);
            publishedAllocation = allocation;
            idle = operationsInFlight == 0 && dirty.isEmpty() && events.isEmpty();
            if (fullReportRequested || !now.isBefore(nextFullReportAt)) {
                fullReportRequested = false;
                nextFullReportAt = now.plus(settings.fullReportInterval());
                emitFullReport();
            } else {
                flushChanges();
            }
        } catch (RuntimeException e) {
            log.error("Reconciler iteration failed; continuing", e);
        }
    }

    private long waitNanos() {
        if (permits.availablePermits() == 0) {
            return settings.rescanInterval().toNanos();
        }
        Instant now = clock.instant();
        Instant next = scanInFlight ? now.plus(settings.rescanInterval()) : nextScanAt;
        Timer timer = timers.peek();
        if (timer != null && timer.at().isBefore(next)) {
            next = timer.at();
        }
        if (nextFullReportAt.isBefore(next)) {
            next = nextFullReportAt;
        }
        long nanos = Duration.between(now, next).toNanos();
        return Math.clamp(nanos, 0, settings.rescanInterval().toNanos());
    }

    private void handle(Event event) {
        switch (event) {
            case DesiredReplaced replaced -> replace(replaced.vms());
            case DesiredChanged delta -> {
                delta.upserts().forEach(this::upsert);
                delta.removals().forEach(this::remove);
            }
            case Completed completed -> complete(completed.result());
            case Scanned scanned -> scanned(scanned);
            case FullReportRequested request -> fullReportRequested = true;
            case Unfenced unfenced -> {
                try {
                    Files.deleteIfExists(fencedMarker);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove " + fencedMarker, e);
                }
                dirty.addAll(entries.keySet());
            }
            case Arrived arrived -> {
                VmEntry entry = entry(arrived.vmId());
                if (entry.inFlight == null && entry.observed == null) {
                    entry.lastCompletionTick = ++tick; // a listing begun before the arrival must not hide it
                    observe(entry, new DriverVm(arrived.vmId(), ObservedPower.RUNNING, arrived.startedAt(), ""));
                    changed.add(entry.vmId);
                }
            }
            case Departed departed -> {
                VmDeparture known = departures.get(departed.vmId());
                if (known == null || known.epoch() < departed.epoch()) {
                    // already on disk: departed() wrote it before the VM was sent
                    departures.put(
                            departed.vmId(), new VmDeparture(departed.vmId(), departed.epoch(), clock.instant()));
                }
            }
            case Stayed stayed -> {
                VmDeparture known = departures.get(stayed.vmId());
                if (known != null && known.epoch() == stayed.epoch()) {
                    departures.remove(stayed.vmId());
                    departureFiles.delete(stayed.vmId());
                    changed.add(stayed.vmId()); // its desired entries, ignored meanwhile, come with the next resync
                }
            }
            case Wakeup wakeup -> {}
        }
    }

    private void replace(List<DesiredVm> vms) {
        Set<UUID> named = new HashSet<>();
        for (DesiredVm vm : vms) {
            named.add(vm.vmId());
            upsert(vm);
        }
        for (VmEntry entry : entries.values()) {
            boolean managed = entry.desired != null || entry.bookkeeping != null;
            if (!named.contains(entry.vmId) && managed && !entry.removed) {
                markRemoved(entry);
            }
        }
        log.debug("Desired set replaced: {} VMs", vms.size());
    }

    private void upsert(DesiredVm vm) {
        VmDeparture departure = bugs.ignoresEpochs() ? null : departures.get(vm.vmId());
        if (departure != null) {
            if (vm.epoch() > departure.epoch()) {
                departures.remove(vm.vmId()); // placed here again, later
                departureFiles.delete(vm.vmId());
            } else if (vm.desiredState() != DesiredState.DELETED) {
                log.info(
                        "VM {}: ignoring desired entry of epoch {}: the VM left this host at epoch {}",
                        vm.vmId(),
                        vm.epoch(),
                        departure.epoch());
                return;
            }
            // a deletion of a departed epoch is taken: deleting what is left here never runs a guest (a migration
            // that timed out leaves the VM placed here at that epoch, and only this host can confirm it is gone)
        }
        VmEntry entry = entry(vm.vmId());
        if (vm.epoch() < entry.knownEpoch() && !bugs.ignoresEpochs()) {
            log.info(
                    "VM {}: ignoring desired entry with stale epoch {} (seen {})",
                    vm.vmId(),
                    vm.epoch(),
                    entry.knownEpoch());
            return;
        }
        if (vm.equals(entry.desired) && !entry.removed) {
            return;
        }
        entry.desired = vm;
        entry.removed = false;
        entry.notBefore = Instant.MIN;
        entry.consecutiveFailures = 0;
        refreshAllocation(entry);
        touch(entry);
    }

    private void remove(UUID vmId) {
        VmEntry entry = entries.get(vmId);
        if (entry != null) {
            markRemoved(entry);
        }
    }

    private void markRemoved(VmEntry entry) {
        entry.desired = null;
        entry.removed = true;
        entry.notBefore = Instant.MIN;
        entry.consecutiveFailures = 0;
        refreshAllocation(entry);
        touch(entry);
    }

    private void complete(OperationResult result) {
        operationsInFlight--;
        VmEntry entry = requireNonNull(entries.get(result.vmId()), "operation result for an unknown VM");
        entry.inFlight = null;
        entry.lastCompletionTick = ++tick;
        entry.bookkeeping = result.persisted();
        if (result.observationKnown()) {
            observe(entry, result.observed());
        }
        Instant now = clock.instant();
        String failure = result.failure();
        if (failure == null) {
            entry.failure = null;
            entry.consecutiveFailures = 0;
            if (entry.power() == ObservedPower.CREATING) {
                delay(entry, now.plus(settings.transitionPollInterval()));
            }
        } else {
            DesiredVm desired = entry.desired;
            long generation = desired != null
                    ? desired.generation()
                    : entry.toObservedVm().generation();
            entry.failure = new VmEntry.Failure(failure, generation, entry.knownEpoch());
            delay(entry, now.plus(retryBackoff.delay(entry.consecutiveFailures)));
            entry.consecutiveFailures++;
        }
        touch(entry);
    }

    private void scanned(Scanned scan) {
        operationsInFlight--;
        scanInFlight = false;
        nextScanAt = clock.instant().plus(settings.rescanInterval());
        String failure = scan.failure();
        if (failure != null) {
            log.warn("Listing the driver's VMs failed: {}", failure);
            return;
        }
        applyScan(scan.startTick(), scan.vms());
    }

    /** Takes a driver listing, except for VMs an operation has touched since the listing began. */
    private void applyScan(long startTick, List<DriverVm> vms) {
        Set<UUID> seen = new HashSet<>();
        for (DriverVm vm : vms) {
            seen.add(vm.vmId());
            VmEntry entry = entry(vm.vmId());
            if (entry.inFlight == null && entry.lastCompletionTick <= startTick) {
                observe(entry, vm);
            }
        }
        for (VmEntry entry : entries.values()) {
            if (!seen.contains(entry.vmId) && entry.inFlight == null && entry.lastCompletionTick <= startTick) {
                observe(entry, null);
            }
            touch(entry);
        }
    }

    private void observe(VmEntry entry, @Nullable DriverVm vm) {
        entry.observed = vm;
        refreshAllocation(entry);
    }

    private void fireTimers(Instant now) {
        for (Timer timer = timers.peek(); timer != null && !timer.at().isAfter(now); timer = timers.peek()) {
            timers.poll();
            if (entries.containsKey(timer.vmId())) {
                dirty.add(timer.vmId());
            }
        }
    }

    private void maybeScan(Instant now) {
        if (scanInFlight || now.isBefore(nextScanAt) || !permits.tryAcquire()) {
            return;
        }
        scanInFlight = true;
        operationsInFlight++;
        long startTick = tick;
        operations.execute(() -> {
            Scanned scan;
            try {
                scan = new Scanned(startTick, driver.list(), null);
            } catch (RuntimeException e) {
                scan = new Scanned(startTick, List.of(), e.toString());
            } finally {
                permits.release();
            }
            enqueue(scan);
        });
    }

    private void dispatch(Instant now) {
        boolean fenced = Files.exists(fencedMarker);
        Iterator<UUID> iterator = dirty.iterator();
        while (iterator.hasNext()) {
            VmEntry entry = entries.get(iterator.next());
            if (entry == null || entry.inFlight != null || now.isBefore(entry.notBefore)) {
                iterator.remove();
                continue;
            }
            VmPlan plan = placedHereAgain(entry)
                    ? new VmPlan(VmAction.DELETE, entry.bookkeeping)
                    : VmPlanner.plan(entry.desired, entry.removed, entry.bookkeeping, entry.power());
            if (fenced && plan.action().starts()) {
                iterator.remove(); // looked at again when the host is unfenced
                continue;
            }
            if (plan.action() == VmAction.NONE) {
                iterator.remove();
                if (entry.forgettable()) {
                    forget(entry);
                }
                continue;
            }
            if (!permits.tryAcquire()) {
                return;
            }
            iterator.remove();
            submit(entry, plan);
        }
    }

    /**
     * A VM that left this host by live migration and is placed here again at a later epoch (its departure record is
     * gone: {@link #upsert} dropped it for the higher epoch) while the driver still keeps the marker of its leaving,
     * which refuses a create: the marker goes first, by a delete, then the VM is created again. That is how a VM that
     * was sent but lost on the way starts again on its source (ADR 27).
     */
    private boolean placedHereAgain(VmEntry entry) {
        DesiredVm desired = entry.desired;
        DriverVm observed = entry.observed;
        return desired != null
                && !entry.removed
                && desired.desiredState() != DesiredState.DELETED
                && observed != null
                && migratedMarker(observed)
                && !departures.containsKey(entry.vmId);
    }

    private static boolean migratedMarker(DriverVm vm) {
        return vm.power() == ObservedPower.CREATING && LiveMigration.MIGRATED_MESSAGE.equals(vm.message());
    }

    private void submit(VmEntry entry, VmPlan plan) {
        VmOperation operation =
                new VmOperation(entry.vmId, plan.action(), entry.desired, entry.bookkeeping, plan.bookkeepingAfter());
        entry.inFlight = plan.action();
        operationsInFlight++;
        changed.add(entry.vmId); // not dirty: the result makes it dirty again

        operations.execute(() -> {
            OperationResult result;
            try {
                result = runner.run(operation);
            } finally {
                permits.release();
            }
            enqueue(new Completed(result));
        });
    }

    private void forget(VmEntry entry) {
        entries.remove(entry.vmId);
        changed.remove(entry.vmId);
        allocation = allocation.minus(entry.allocation);
        ObservedVm last = entry.lastReported;
        if (last != null && last.power() != ObservedPower.ABSENT) {
            vanished.add(new ObservedVm(
                    entry.vmId, ObservedPower.ABSENT, last.generation(), last.rebootCount(), last.epoch(), null, ""));
        }
    }

    private void flushChanges() {
        List<ObservedVm> report = new ArrayList<>(vanished);
        vanished.clear();
        for (UUID vmId : changed) {
            VmEntry entry = entries.get(vmId);
            if (entry != null) {
                ObservedVm observed = entry.toObservedVm();
                if (!observed.equals(entry.lastReported)) {
                    entry.lastReported = observed;
                    report.add(observed);
                }
            }
        }
        changed.clear();
        if (!report.isEmpty()) {
            send(new ObservedReport(false, report));
        }
    }

    private void emitFullReport() {
        List<ObservedVm> report = new ArrayList<>(entries.size());
        for (VmEntry entry : entries.values()) {
            entry.lastReported = entry.toObservedVm();
            report.add(entry.lastReported);
        }
        vanished.clear();
        changed.clear();
        send(new ObservedReport(true, report));
    }

    private void send(ObservedReport report) {
        try {
            sink.accept(report);
        } catch (RuntimeException e) {
            log.warn("Report sink failed; the next full report will carry the state", e);
        }
    }

    /** After close: takes operation results until none is in flight or {@code shutdownTimeout} has passed. */
    public void drain() throws InterruptedException {
        Instant deadline = clock.instant().plus(settings.shutdownTimeout());
        while (operationsInFlight > 0) {
            long remaining = Duration.between(clock.instant(), deadline).toNanos();
            Event event = remaining > 0 ? events.poll(remaining, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                log.warn("Reconciler closing with {} operations still in flight", operationsInFlight);
                return;
            }
            if (event instanceof Completed completed) {
                complete(completed.result());
            } else if (event instanceof Scanned) {
                operationsInFlight--;
            }
        }
    }

    private VmEntry entry(UUID vmId) {
        return entries.computeIfAbsent(vmId, VmEntry::new);
    }

    private void touch(VmEntry entry) {
        dirty.add(entry.vmId);
        changed.add(entry.vmId);
    }

    private void delay(VmEntry entry, Instant until) {
        entry.notBefore = until;
        timers.add(new Timer(until, entry.vmId));
    }

    private void refreshAllocation(VmEntry entry) {
        HostAllocation share = entry.computeAllocation();
        allocation = allocation.minus(entry.allocation).plus(share);
        entry.allocation = share;
    }
}
