package io.vireo.agent.fake;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.fake.FakeVmState.Power;
import io.vireo.agent.hypervisor.ConsoleOutput;
import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HostInventory;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.agent.hypervisor.IncomingMigration;
import io.vireo.agent.hypervisor.LiveMigration;
import io.vireo.agent.hypervisor.MigrationEndpoint;
import io.vireo.agent.hypervisor.MigrationStats;
import io.vireo.agent.support.JsonStateFiles;
import io.vireo.model.DesiredVm;
import io.vireo.model.ObservedPower;
import io.vireo.model.VmStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A {@link HypervisorDriver} whose VMs are records: no process, no disk image, a few hundred bytes each, so that one
 * process can hold thousands of them. Each VM's state is persisted to {@code <stateDir>/fake-vms/<uuid>.json} on every
 * change (written to a temporary file, then moved atomically), and a new driver on the same directory finds the VMs
 * again, running, with the same {@code startedAt}: fake guests outlive the agent process as QEMU processes do.
 *
 * <p>A started or rebooted VM shows {@code CREATING} until its boot delay has passed on the injected {@link Clock},
 * then {@code RUNNING}; nothing is scheduled, the state is derived when asked. The delay is {@code bootDelay}, or drawn
 * uniformly up to {@code bootDelayMax} from the injected {@link RandomGenerator} when that is longer. With
 * {@code failureRate > 0}, create, start and reboot fail at random (from the injected {@link RandomGenerator}) and
 * leave the VM unchanged.
 *
 * <p>Live migration goes through a {@link FakeMigrationFabric} shared by the drivers of one process: the destination
 * listens on a fabric port for the VM (showing it {@code CREATING}, "incoming migration"; held in memory only, so it
 * dies with the driver as an agent's half-made VM would be discarded), and the source, after {@code migrationTime}
 * (and a random failure at {@code failureRate}), hands the VM over in one step: first the source's instance ends and
 * leaves its {@code MIGRATED} marker, then the destination's runs, with the guest's {@code startedAt}: never both.
 *
 * <p>Thread-safe: operations on one VM are serialised by a striped lock, operations on different VMs run in parallel,
 * and the random generator is guarded by its own lock. A hand-over takes the source's lock only; the destination's
 * side is claimed atomically from its incoming map, so two drivers migrating to each other cannot deadlock.
 */
public final class FakeDriver implements HypervisorDriver, LiveMigration {
    public static final String NAME = "fake";
    public static final String CAPABILITY = "driver:fake";
    /** The directory under the state directory that holds one JSON file per fake VM. */
    public static final String STATE_DIRECTORY = "fake-vms";
    /** The message of a VM that left for another host, as the QEMU driver shows it. */
    public static final String MIGRATED_MESSAGE = LiveMigration.MIGRATED_MESSAGE;
    /** The message of a VM prepared here for an incoming migration that has not arrived. */
    public static final String INCOMING_MESSAGE = "incoming migration";
    /** The message of a VM being sent to another host. */
    public static final String MIGRATING_OUT_MESSAGE = "migrating to another host";

    private static final int LOCK_STRIPES = 64;

    private final FakeDriverSettings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private final ReentrantLock randomLock = new ReentrantLock();
    private final JsonStateFiles<FakeVmState> files;
    private final Map<UUID, FakeVmState> vms = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
    private final FakeMigrationFabric fabric;
    private final Map<UUID, Incoming> incoming = new ConcurrentHashMap<>();
    private final Set<UUID> migratingOut = ConcurrentHashMap.newKeySet();

    /** A VM prepared here for an incoming migration. */
    private record Incoming(DesiredVm vm, int port, CompletableFuture<Instant> running) {}

    /** A driver with a migration fabric of its own: it can migrate to no other driver. */
    public FakeDriver(FakeDriverSettings settings, Path stateDir, Clock clock, RandomGenerator random) {
        this(settings, stateDir, clock, random, new FakeMigrationFabric());
    }

    /** A driver that migrates VMs to and from the other drivers on {@code fabric}. */
    public FakeDriver(
            FakeDriverSettings settings,
            Path stateDir,
            Clock clock,
            RandomGenerator random,
            FakeMigrationFabric fabric) {
        this.settings = requireNonNull(settings, "settings is null");
        this.fabric = requireNonNull(fabric, "fabric is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        this.files = new JsonStateFiles<>(stateDir.resolve(STATE_DIRECTORY), FakeVmState.class);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
        for (FakeVmState vm : files.readAll()) {
            vms.put(vm.vmId(), vm);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HostInventory inventory() {
        return new HostInventory(settings.capacity(), List.of(CAPABILITY));
    }

    @Override
    public List<DriverVm> list() {
        Instant now = clock.instant();
        List<DriverVm> all = new ArrayList<>();
        for (FakeVmState vm : vms.values()) {
            all.add(toDriverVm(vm, now));
        }
        for (UUID vmId : incoming.keySet()) {
            if (!vms.containsKey(vmId)) {
                all.add(incomingVm(vmId));
            }
        }
        return all;
    }

    @Override
    public Optional<DriverVm> find(UUID vmId) {
        FakeVmState vm = vms.get(vmId);
        if (vm != null) {
            return Optional.of(toDriverVm(vm, clock.instant()));
        }
        return incoming.containsKey(vmId) ? Optional.of(incomingVm(vmId)) : Optional.empty();
    }

    /**
     * Whether a guest of VM {@code vmId} exists here now: booting, running, paused or being sent away; not a VM that
     * is stopped, that left (its marker) or that waits to arrive. What "the VM runs here" means when counting hosts.
     */
    public boolean hasGuest(UUID vmId) {
        FakeVmState vm = vms.get(vmId);
        return vm != null && (vm.power() == Power.RUNNING || vm.power() == Power.PAUSED);
    }

    @Override
    public void create(DesiredVm vm) {
        update(vm.vmId(), existing -> {
            if (existing != null && existing.power() == Power.MIGRATED) {
                throw new HypervisorException("VM " + vm.vmId() + " has " + MIGRATED_MESSAGE);
            }
            if (existing != null) {
                return existing;
            }
            failAtRandom("create", vm.vmId());
            return new FakeVmState(
                    vm.vmId(),
                    vm.name(),
                    vm.resources().vcpus(),
                    vm.resources().memoryMib(),
                    vm.resources().diskGib(),
                    Power.STOPPED,
                    null,
                    null);
        });
    }

    @Override
    public void start(UUID vmId) {
        update(vmId, existing -> {
            FakeVmState vm = required(existing, vmId);
            if (vm.power() != Power.STOPPED) {
                return vm;
            }
            failAtRandom("start", vmId);
            return boot(vm);
        });
    }

    @Override
    public void stop(UUID vmId, Duration gracePeriod) {
        requireNonNull(gracePeriod, "gracePeriod is null");
        update(vmId, existing -> {
            FakeVmState vm = required(existing, vmId);
            return vm.power() == Power.STOPPED ? vm : vm.withPower(Power.STOPPED, null, null);
        });
    }

    @Override
    public void reboot(UUID vmId) {
        update(vmId, existing -> {
            FakeVmState vm = required(existing, vmId);
            if (vm.power() == Power.STOPPED) {
                throw new HypervisorException("cannot reboot VM " + vmId + ": it is not running");
            }
            failAtRandom("reboot", vmId);
            return boot(vm);
        });
    }

    @Override
    public void pause(UUID vmId) {
        update(vmId, existing -> {
            FakeVmState vm = required(existing, vmId);
            if (vm.power() == Power.STOPPED) {
                throw new HypervisorException("cannot pause VM " + vmId + ": it is not running");
            }
            return vm.withPower(Power.PAUSED, vm.startedAt(), vm.bootCompletesAt());
        });
    }

    @Override
    public void resume(UUID vmId) {
        update(vmId, existing -> {
            FakeVmState vm = required(existing, vmId);
            if (vm.power() == Power.STOPPED) {
                throw new HypervisorException("cannot resume VM " + vmId + ": it is not running");
            }
            return vm.withPower(Power.RUNNING, vm.startedAt(), vm.bootCompletesAt());
        });
    }

    @Override
    public void delete(UUID vmId) {
        ReentrantLock lock = stripe(vmId);
        lock.lock();
        try {
            files.delete(vmId);
            vms.remove(vmId);
            discardIncoming(vmId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A synthetic log derived from the VM's state: a line for its definition and, while it runs, one for its last
     * boot. Enough to exercise the console path without a guest.
     */
    @Override
    public ConsoleOutput readConsole(UUID vmId, long offset, int maxBytes) {
        FakeVmState vm = required(vms.get(requireNonNull(vmId, "vmId is null")), vmId);
        StringBuilder log = new StringBuilder()
                .append("fake console: VM ")
                .append(vm.name())
                .append(" (")
                .append(vmId)
                .append(") defined\n");
        Instant startedAt = vm.startedAt();
        if (startedAt != null) {
            log.append("fake console: booted at ").append(startedAt).append('\n');
            log.append("fake console: ").append(vm.name()).append(" login: \n");
        }
        return ConsoleOutput.slice(log.toString().getBytes(StandardCharsets.UTF_8), offset, maxBytes);
    }

    /** Synthetic samples of the running and paused VMs, see {@link FakeMetrics}: never measurements. */
    @Override
    public List<VmStats> metrics() {
        Instant now = clock.instant();
        List<VmStats> samples = new ArrayList<>();
        for (FakeVmState vm : vms.values()) {
            Instant startedAt = vm.startedAt();
            if (startedAt != null) {
                samples.add(FakeMetrics.sample(vm, startedAt, now));
            }
        }
        return samples;
    }

    @Override
    public IncomingMigration prepareIncoming(DesiredVm vm, UUID sourceHostId) {
        requireNonNull(vm, "vm is null");
        UUID vmId = vm.vmId();
        ReentrantLock lock = stripe(vmId);
        lock.lock();
        try {
            if (vms.containsKey(vmId) || incoming.containsKey(vmId)) {
                throw new HypervisorException("VM " + vmId + " exists on this host already");
            }
            failAtRandom("preparing the incoming migration", vmId);
            int port = fabric.listen(this, vmId);
            CompletableFuture<Instant> running = new CompletableFuture<>();
            incoming.put(vmId, new Incoming(vm, port, running));
            return new IncomingMigration(vmId, new MigrationEndpoint(FakeMigrationFabric.HOST, port, 0), running);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean discardIncoming(UUID vmId) {
        Incoming waiting = incoming.remove(requireNonNull(vmId, "vmId is null"));
        if (waiting == null) {
            return false;
        }
        fabric.close(waiting.port(), this);
        waiting.running().completeExceptionally(new HypervisorException("the incoming migration was discarded"));
        return true;
    }

    /**
     * Sends VM {@code vmId} to the driver listening at {@code target}: after {@code migrationTime}, unless it fails at
     * random, the VM's instance here ends (its {@code MIGRATED} marker written) and then the destination's runs.
     */
    @Override
    public MigrationStats migrateOut(UUID vmId, MigrationEndpoint target, UUID destinationHostId) {
        requireNonNull(target, "target is null");
        Instant began = clock.instant();
        ReentrantLock lock = stripe(requireNonNull(vmId, "vmId is null"));
        Arrival arrival;
        lock.lock();
        try {
            FakeVmState vm = required(vms.get(vmId), vmId);
            Instant startedAt = vm.startedAt();
            if (startedAt == null) {
                throw new HypervisorException("cannot migrate VM " + vmId + ": it is not running");
            }
            migratingOut.add(vmId);
            try {
                waitMigrationTime();
                failAtRandom("migration", vmId);
                FakeMigrationFabric.Listener listener = fabric.connect(target.host(), target.migrationPort());
                if (listener == null || !listener.vmId().equals(vmId)) {
                    throw new HypervisorException(
                            "nobody waits for VM " + vmId + " at " + target.host() + ":" + target.migrationPort());
                }
                Incoming claimed = listener.destination().claimIncoming(vmId);
                // The source's instance ends first: from here on it never runs here again.
                FakeVmState left = vm.withPower(Power.MIGRATED, null, null);
                files.write(vmId, left);
                vms.put(vmId, left);
                arrival = listener.destination().arrive(claimed, vm, startedAt);
            } finally {
                migratingOut.remove(vmId);
            }
        } finally {
            lock.unlock();
        }
        arrival.incoming().running().complete(arrival.at());
        Duration total = Duration.between(began, clock.instant());
        long bytes = vmMemoryBytes(arrival.incoming().vm());
        return new MigrationStats(total, Duration.ZERO, total, Duration.ZERO, bytes);
    }

    /** An incoming VM that has arrived: its future is completed by the source, outside any lock. */
    private record Arrival(Incoming incoming, Instant at) {}

    /** Takes the incoming VM off this driver's waiting list, so it can no longer be discarded. */
    private Incoming claimIncoming(UUID vmId) {
        Incoming claimed = incoming.remove(vmId);
        if (claimed == null) {
            throw new HypervisorException("VM " + vmId + " is no longer expected on the destination");
        }
        return claimed;
    }

    /** The VM runs here now, the guest as it ran on the source. */
    private Arrival arrive(Incoming claimed, FakeVmState source, Instant startedAt) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        DesiredVm vm = claimed.vm();
        FakeVmState arrived = new FakeVmState(
                vm.vmId(),
                vm.name(),
                vm.resources().vcpus(),
                vm.resources().memoryMib(),
                vm.resources().diskGib(),
                source.power() == Power.PAUSED ? Power.PAUSED : Power.RUNNING,
                startedAt,
                now);
        files.write(vm.vmId(), arrived);
        vms.put(vm.vmId(), arrived);
        return new Arrival(claimed, now);
    }

    private void waitMigrationTime() {
        Duration time = settings.migrationTime();
        if (time.isZero()) {
            return;
        }
        try {
            Thread.sleep(time);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("the migration was interrupted", e);
        }
    }

    private static long vmMemoryBytes(DesiredVm vm) {
        return vm.resources().memoryMib() * 1024 * 1024;
    }

    /**
     * The VMs stay, as real guests outlive the agent; VMs waiting here for an incoming migration are discarded (their
     * sources' migrations fail).
     */
    @Override
    public void close() {
        for (UUID vmId : List.copyOf(incoming.keySet())) {
            discardIncoming(vmId);
        }
    }

    /**
     * Applies {@code change} to one VM under its stripe lock; the file is written before the map changes, so a failed
     * write leaves both unchanged.
     */
    /**
     * Ends every guest here at once, as a fence guard that kills every QEMU process of its host does: each running or
     * paused VM is left stopped; markers and stopped VMs stay as they are.
     */
    public void killAll() {
        for (FakeVmState vm : List.copyOf(vms.values())) {
            update(vm.vmId(), existing -> killed(existing == null ? vm : existing));
        }
    }

    /** {@link #killAll} for the guests that outlived their agent: the files under {@code stateDir}, no driver. */
    public static void killAll(Path stateDir) {
        JsonStateFiles<FakeVmState> files = new JsonStateFiles<>(stateDir.resolve(STATE_DIRECTORY), FakeVmState.class);
        for (FakeVmState vm : files.readAll()) {
            FakeVmState after = killed(vm);
            if (!after.equals(vm)) {
                files.write(vm.vmId(), after);
            }
        }
    }

    private static FakeVmState killed(FakeVmState vm) {
        return vm.power() == Power.RUNNING || vm.power() == Power.PAUSED ? vm.withPower(Power.STOPPED, null, null) : vm;
    }

    private void update(UUID vmId, UnaryOperator<@Nullable FakeVmState> change) {
        requireNonNull(vmId, "vmId is null");
        ReentrantLock lock = stripe(vmId);
        lock.lock();
        try {
            FakeVmState before = vms.get(vmId);
            FakeVmState after = requireNonNull(change.apply(before), "change returned null");
            if (!after.equals(before)) {
                files.write(vmId, after);
                vms.put(vmId, after);
            }
        } finally {
            lock.unlock();
        }
    }

    private FakeVmState boot(FakeVmState vm) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return vm.withPower(Power.RUNNING, now, now.plus(bootDelay()));
    }

    /** This boot's delay: the fixed one, or one drawn uniformly from the settings' range. */
    private Duration bootDelay() {
        Duration min = settings.bootDelay();
        long spreadNanos = settings.bootDelayMax().minus(min).toNanos();
        if (spreadNanos == 0) {
            return min;
        }
        randomLock.lock();
        try {
            return min.plusNanos(random.nextLong(spreadNanos + 1));
        } finally {
            randomLock.unlock();
        }
    }

    private void failAtRandom(String operation, UUID vmId) {
        if (settings.failureRate() == 0) {
            return;
        }
        boolean fail;
        randomLock.lock();
        try {
            fail = random.nextDouble() < settings.failureRate();
        } finally {
            randomLock.unlock();
        }
        if (fail) {
            throw new HypervisorException("injected failure: " + operation + " of VM " + vmId);
        }
    }

    private static FakeVmState required(@Nullable FakeVmState vm, UUID vmId) {
        if (vm == null) {
            throw new HypervisorException("VM " + vmId + " does not exist");
        }
        if (vm.power() == Power.MIGRATED) {
            throw new HypervisorException("VM " + vmId + " has " + MIGRATED_MESSAGE);
        }
        return vm;
    }

    private ReentrantLock stripe(UUID vmId) {
        return stripes[Math.floorMod(vmId.hashCode(), LOCK_STRIPES)];
    }

    private DriverVm toDriverVm(FakeVmState vm, Instant now) {
        ObservedPower power = switch (vm.power()) {
            case STOPPED -> ObservedPower.STOPPED;
            case PAUSED -> ObservedPower.PAUSED;
            case RUNNING -> booting(vm, now) ? ObservedPower.CREATING : ObservedPower.RUNNING;
            case MIGRATED -> ObservedPower.CREATING;
        };
        String message = vm.power() == Power.MIGRATED
                ? MIGRATED_MESSAGE
                : migratingOut.contains(vm.vmId()) ? MIGRATING_OUT_MESSAGE : "";
        return new DriverVm(vm.vmId(), power, vm.startedAt(), message);
    }

    private static DriverVm incomingVm(UUID vmId) {
        return new DriverVm(vmId, ObservedPower.CREATING, null, INCOMING_MESSAGE);
    }

    private static boolean booting(FakeVmState vm, Instant now) {
        Instant bootCompletesAt = vm.bootCompletesAt();
        return bootCompletesAt != null && now.isBefore(bootCompletesAt);
    }
}
