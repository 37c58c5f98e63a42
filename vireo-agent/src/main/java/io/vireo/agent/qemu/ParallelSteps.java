package io.vireo.agent.qemu;

import io.vireo.agent.hypervisor.HypervisorException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a few independent, blocking steps (external commands such as {@code qemu-img create}) at once on virtual
 * threads and waits for all of them. Used where the steps are on a latency-critical path (preparing an incoming
 * migration). Stateless.
 */
final class ParallelSteps {
    private ParallelSteps() {}

    /**
     * Runs every step and returns when all have ended. If any failed, throws the first failure (in list order) as a
     * {@link HypervisorException}, after the others have ended too.
     */
    static void run(List<Runnable> steps) {
        if (steps.size() == 1) {
            steps.getFirst().run();
            return;
        }
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Runnable step : steps) {
                running.add(executor.submit(step));
            }
        }
        for (Future<?> step : running) {
            try {
                step.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof HypervisorException failure) {
                    throw failure;
                }
                throw new HypervisorException(String.valueOf(cause.getMessage()), cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HypervisorException("interrupted", e);
            }
        }
    }
}
