package io.vireo.sim.bench.controlplane;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Sends requests open-loop: each is handed to the request executor (a virtual thread each) when it is due on its
 * {@link OpenLoopSchedule}, however many are still waiting for their answers, up to {@code maxInFlight}. A request
 * that finds that many in flight is not sent and counts as failed ({@link Operation#saturated}), so a stalled server
 * cannot make the load quietly smaller.
 *
 * <p>Threading: {@link #pace} runs on the calling thread, which only waits and hands over; thread-safe.
 */
final class RequestPacer {
    /** One kind of request. */
    interface Operation {
        /** Sends the request due at {@code dueNanos}, waits for its answer and records it; on a request thread. */
        void send(long dueNanos) throws InterruptedException;

        /** The request due at {@code dueNanos} could not be sent: too many in flight. On the pacing thread. */
        void saturated(long dueNanos);
    }

    private final Executor requests;
    private final int maxInFlight;
    private final Semaphore inFlight;

    RequestPacer(Executor requests, int maxInFlight) {
        this.requests = requireNonNull(requests, "requests is null");
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /**
     * Hands {@code operation} its requests as they fall due on {@code schedule}, up to {@code endNanos} (exclusive) or
     * until {@code stop} says so or the thread is interrupted. Returns how many fell due.
     */
    long pace(OpenLoopSchedule schedule, long endNanos, BooleanSupplier stop, Operation operation) {
        long index = 0;
        while (!Thread.currentThread().isInterrupted() && !stop.getAsBoolean()) {
            long due = schedule.dueNanos(index);
            if (due >= endNanos) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue; // woken early, or on time: look again
            }
            index++;
            if (!inFlight.tryAcquire()) {
                operation.saturated(due);
                continue;
            }
            requests.execute(() -> {
                try {
                    operation.send(due);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.release();
                }
            });
        }
        return index;
    }

    /** How many requests are waiting for their answers now. */
    int inFlight() {
        return maxInFlight - inFlight.availablePermits();
    }
}
