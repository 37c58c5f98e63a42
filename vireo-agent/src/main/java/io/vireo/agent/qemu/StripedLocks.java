package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A fixed set of reentrant locks, one chosen per VM by its id: operations on one VM are serialised, operations on most
 * pairs of VMs are not. Thread-safe.
 */
final class StripedLocks {
    private final ReentrantLock[] stripes;

    StripedLocks(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Runs {@code operation} holding VM {@code vmId}'s lock. */
    void run(UUID vmId, Runnable operation) {
        ReentrantLock lock = of(vmId);
        lock.lock();
        try {
            operation.run();
        } finally {
            lock.unlock();
        }
    }

    /** Computes {@code operation} holding VM {@code vmId}'s lock. */
    <T> T get(UUID vmId, Supplier<T> operation) {
        ReentrantLock lock = of(vmId);
        lock.lock();
        try {
            return operation.get();
        } finally {
            lock.unlock();
        }
    }

    /** VM {@code vmId}'s lock, for a caller that only tries it. */
    ReentrantLock of(UUID vmId) {
        return stripes[Math.floorMod(requireNonNull(vmId, "vmId is null").hashCode(), stripes.length)];
    }
}
