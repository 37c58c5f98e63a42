package io.vireo.agent.testing;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.ConsoleOutput;
import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HostInventory;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.DesiredVm;
import io.vireo.model.VmStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a driver, counts the calls to each mutating operation, checks that no two of them run at once on one VM, and
 * can make the next calls of an operation fail. Thread-safe.
 */
public final class RecordingDriver implements HypervisorDriver {
    private final HypervisorDriver delegate;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresToInject = new ConcurrentHashMap<>();
    private final Set<UUID> busy = ConcurrentHashMap.newKeySet();
    private final AtomicInteger overlappingCalls = new AtomicInteger();
    private final AtomicInteger concurrentCalls = new AtomicInteger();
    private final AtomicInteger maxConcurrentCalls = new AtomicInteger();

    public RecordingDriver(HypervisorDriver delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /** How many times {@code operation} ("create", "start", ...) was called. */
    public int calls(String operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    /** The most mutating calls that were ever in progress at once. */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls.get();
    }

    /** How many mutating calls started while another one on the same VM was in progress. */
    public int overlappingCalls() {
        return overlappingCalls.get();
    }

    /** Makes the next {@code count} calls of {@code operation} throw a {@link HypervisorException}. */
    public void failNext(String operation, int count) {
        failuresToInject.computeIfAbsent(operation, key -> new AtomicInteger()).set(count);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public HostInventory inventory() {
        return delegate.inventory();
    }

    @Override
    public List<DriverVm> list() {
        return delegate.list();
    }

    @Override
    public Optional<DriverVm> find(UUID vmId) {
        return delegate.find(vmId);
    }

    @Override
    public ConsoleOutput readConsole(UUID vmId, long offset, int maxBytes) {
        return delegate.readConsole(vmId, offset, maxBytes);
    }

    @Override
    public List<VmStats> metrics() {
        return delegate.metrics();
    }

    @Override
    public void create(DesiredVm vm) {
        call("create", vm.vmId(), () -> delegate.create(vm));
    }

    @Override
    public void start(UUID vmId) {
        call("start", vmId, () -> delegate.start(vmId));
    }

    @Override
    public void stop(UUID vmId, Duration gracePeriod) {
        call("stop", vmId, () -> delegate.stop(vmId, gracePeriod));
    }

    @Override
    public void reboot(UUID vmId) {
        call("reboot", vmId, () -> delegate.reboot(vmId));
    }

    @Override
    public void pause(UUID vmId) {
        call("pause", vmId, () -> delegate.pause(vmId));
    }

    @Override
    public void resume(UUID vmId) {
        call("resume", vmId, () -> delegate.resume(vmId));
    }

    @Override
    public void delete(UUID vmId) {
        call("delete", vmId, () -> delegate.delete(vmId));
    }

    @Override
    public void close() {
        delegate.close();
    }

    private void call(String operation, UUID vmId, Runnable action) {
        calls.computeIfAbsent(operation, key -> new AtomicInteger()).incrementAndGet();
        boolean entered = busy.add(vmId);
        if (!entered) {
            overlappingCalls.incrementAndGet();
        }
        maxConcurrentCalls.accumulateAndGet(concurrentCalls.incrementAndGet(), Math::max);
        try {
            AtomicInteger failures = failuresToInject.get(operation);
            if (failures != null && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new HypervisorException("injected test failure: " + operation);
            }
            action.run();
        } finally {
            concurrentCalls.decrementAndGet();
            if (entered) {
                busy.remove(vmId);
            }
        }
    }
}
