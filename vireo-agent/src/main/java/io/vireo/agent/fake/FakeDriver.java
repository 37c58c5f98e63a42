package io.vireo.agent.fake;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.fake.FakeVmState.Power;
import io.vireo.agent.hypervisor.ConsoleOutput;
import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HostInventory;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.hypervisor.HypervisorException;
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
import java.util.UUID;
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
 * <p>A started or rebooted VM shows {@code CREATING} until {@code bootDelay} has passed on the injected {@link Clock},
 * then {@code RUNNING}; nothing is scheduled, the state is derived when asked. With {@code failureRate > 0}, create,
 * start and reboot fail at random (from the injected {@link RandomGenerator}) and leave the VM unchanged.
 *
 * <p>Thread-safe: operations on one VM are serialised by a striped lock, operations on different VMs run in parallel,
 * and the random generator is guarded by its own lock.
 */
public final class FakeDriver implements HypervisorDriver {
    public static final String NAME = "fake";
    public static final String CAPABILITY = "driver:fake";
    /** The directory under the state directory that holds one JSON file per fake VM. */
    public static final String STATE_DIRECTORY = "fake-vms";

    private static final int LOCK_STRIPES = 64;

    private final FakeDriverSettings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private final ReentrantLock randomLock = new ReentrantLock();
    private final JsonStateFiles<FakeVmState> files;
    private final Map<UUID, FakeVmState> vms = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];

    public FakeDriver(FakeDriverSettings settings, Path stateDir, Clock clock, RandomGenerator random) {
        this.settings = requireNonNull(settings, "settings is null");
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
        return vms.values().stream().map(vm -> toDriverVm(vm, now)).toList();
    }

    @Override
    public Optional<DriverVm> find(UUID vmId) {
        return Optional.ofNullable(vms.get(vmId)).map(vm -> toDriverVm(vm, clock.instant()));
    }

    @Override
    public void create(DesiredVm vm) {
        update(vm.vmId(), existing -> {
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

    /** Nothing to release: the VMs are files and stay, as real guests outlive the agent. */
    @Override
    public void close() {}

    /**
     * Applies {@code change} to one VM under its stripe lock; the file is written before the map changes, so a failed
     * write leaves both unchanged.
     */
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
        return vm.withPower(Power.RUNNING, now, now.plus(settings.bootDelay()));
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
        return vm;
    }

    private ReentrantLock stripe(UUID vmId) {
        return stripes[Math.floorMod(vmId.hashCode(), LOCK_STRIPES)];
    }

    private static DriverVm toDriverVm(FakeVmState vm, Instant now) {
        ObservedPower power = switch (vm.power()) {
            case STOPPED -> ObservedPower.STOPPED;
            case PAUSED -> ObservedPower.PAUSED;
            case RUNNING -> booting(vm, now) ? ObservedPower.CREATING : ObservedPower.RUNNING;
        };
        return new DriverVm(vm.vmId(), power, vm.startedAt(), "");
    }

    private static boolean booting(FakeVmState vm, Instant now) {
        Instant bootCompletesAt = vm.bootCompletesAt();
        return bootCompletesAt != null && now.isBefore(bootCompletesAt);
    }
}
