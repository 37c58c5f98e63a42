package io.vireo.agent.reconcile;

import io.vireo.agent.ReconcilerLoop;
import io.vireo.agent.hypervisor.HypervisorDriver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.random.RandomGenerator;

/** A reconciler with its production threads ({@link ReconcilerLoop}), for tests that run it as an agent does. */
final class RunningReconciler implements AutoCloseable {
    final VmReconciler reconciler;
    private final ReconcilerLoop loop;

    RunningReconciler(
            HypervisorDriver driver, Path stateDir, ReconcilerSettings settings, Clock clock, RandomGenerator random) {
        ExecutorService operations = ReconcilerLoop.operationsExecutor();
        reconciler = new VmReconciler(driver, stateDir, settings, clock, random, operations);
        loop = new ReconcilerLoop(reconciler, operations, settings);
    }

    RunningReconciler start(ReportSink sink) {
        reconciler.start(sink);
        loop.start();
        return this;
    }

    @Override
    public void close() {
        loop.close();
    }
}
