package io.vireo.agent.testing;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.agent.hypervisor.HostInventory;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.model.DesiredVm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a driver, counts the calls to each operation and can make the next calls of an operation fail. Thread-safe.
 */
public final class RecordingDriver implements HypervisorDriver {
    private final HypervisorDriver delegate;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresToInject = new ConcurrentHashMap<>();
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
    public void create(DesiredVm vm) {
        record("create");
        try {
            delegate.create(vm);
        } finally {
            concurrentCalls.decrementAndGet();
        }
    }

    @Override
    public void start(UUID vmId) {
        record("start");
        try {
            delegate.start(vmId);
        } finally {
            concurrentCalls.decrementAndGet();
        }
    }

    @Override
    public void stop(UUID vmId, Duration gracePeriod) {
        record("stop");
        try {
            delegate.stop(vmId, gracePeriod);
        } finally {
            concurrentCalls.decrementAndGet();
        }
    }

    @Override
    public void reboot(UUID vmId) {
        record("reboot");
        try {
            delegate.reboot(vmId);
        } finally {
            concurrentCalls.decrementAndGet();
        }
    }

    @Override
    public void pause(UUID vmId) {
        record("pause");
        try {
            delegate.pause(vmId);
        } finally {
            concurrentCalls.decrementAndGet();
        }
    }

    @Override
    public void resume(UUID vmId) {
        record("resume");
        try {
            delegate.resume(vmId);
        } finally {
            concurrentCalls.decrementAndGet();
        }
    }

    @Override
    public void delete(UUID vmId) {
        record("delete");
        try {
            delegate.delete(vmId);
        } finally {
            concurrentCalls.decrementAndGet();
        }
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Counts the call and enters it; the caller leaves it in a {@code finally}. */
    private void record(String operation) {
        calls.computeIfAbsent(operation, key -> new AtomicInteger()).incrementAndGet();
        maxConcurrentCalls.accumulateAndGet(concurrentCalls.incrementAndGet(), Math::max);
        AtomicInteger failures = failuresToInject.get(operation);
        if (failures != null && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            concurrentCalls.decrementAndGet();
            throw new HypervisorException("injected test failure: " + operation);
        }
    }
}
