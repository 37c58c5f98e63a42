package io.vireo.agent;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.reconcile.ReconcilerSettings;
import io.vireo.agent.reconcile.VmReconciler;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of a {@link VmReconciler} in a real agent: one loop thread that steps it, and a virtual thread per
 * driver operation. (The simulator steps the same reconciler from its own single thread instead.)
 *
 * <p>Usage: make the executor with {@link #operationsExecutor()}, give it to the reconciler, start the reconciler, then
 * {@link #start} the loop. {@link #close} stops the loop, lets operations in flight finish for up to the reconciler's
 * {@code shutdownTimeout}, and abandons the rest; the VMs keep running.
 */
public final class ReconcilerLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconcilerLoop.class);

    private final VmReconciler reconciler;
    private final ExecutorService operations;
    private final ReconcilerSettings settings;
    private final Thread thread;
    private final AtomicBoolean started = new AtomicBoolean();

    public ReconcilerLoop(VmReconciler reconciler, ExecutorService operations, ReconcilerSettings settings) {
        this.reconciler = requireNonNull(reconciler, "reconciler is null");
        this.operations = requireNonNull(operations, "operations is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.thread = Thread.ofVirtual().name("vireo-reconciler").unstarted(this::run);
    }

    /** A virtual thread per driver operation. */
    public static ExecutorService operationsExecutor() {
        return Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("vireo-vm-operation-", 0).factory());
    }

    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the loop is already started");
        }
        thread.start();
    }

    private void run() {
        try {
            while (reconciler.runOnce(reconciler.maxWait())) {
                // each step handles what arrived and what fell due
            }
            reconciler.drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("The reconciler's loop failed", e);
        }
    }

    @Override
    public void close() {
        reconciler.close();
        if (started.get()) {
            try {
                thread.join(settings.shutdownTimeout().plus(settings.rescanInterval()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        operations.shutdownNow();
    }
}
