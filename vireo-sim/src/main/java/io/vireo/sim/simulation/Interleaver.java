package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Lets controller operations interleave at their port calls, as they do on threads, while only one thing runs at a
 * time. An operation started with {@link #run} runs on a virtual thread of its own (an actor), but the loop's thread
 * waits while it runs; at every port call ({@link #yieldPoint}) the seeded generator may pause the actor: it then
 * waits, the loop goes on with other events (other actors among them), and a scheduled event resumes it later. Exactly
 * one of the loop and the actors runs at any moment, handing over through semaphores, so a seed replays exactly.
 *
 * <p>An actor must not block on anything but its yield points (a lock held by a paused actor would deadlock the run):
 * the hand-over times out after {@link #HANDOVER_TIMEOUT} and the run fails, naming the actor.
 */
final class Interleaver {
    static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(60);

    private final EventLoop loop;
    private final RandomGenerator random;
    private final double pauseProbability;
    private final Duration maxPause;
    private @Nullable Actor current;
    private int paused;
    private long pauses;

    Interleaver(EventLoop loop, RandomGenerator random, double pauseProbability, Duration maxPause) {
        this.loop = requireNonNull(loop, "loop is null");
        this.random = requireNonNull(random, "random is null");
        this.pauseProbability = pauseProbability;
        this.maxPause = requireNonNull(maxPause, "maxPause is null");
    }

    /**
     * Runs {@code body} now: inline if it may not interleave (or interleaving is off), else as an actor that may be
     * paused at its port calls and finish after later events. A failure other than what {@code body} handles itself
     * fails the run.
     */
    void run(String label, boolean interleavable, Runnable body) {
        if (!interleavable || pauseProbability <= 0 || current != null) {
            body.run();
            return;
        }
        resume(new Actor(label, body));
    }

    /** A port call: the current actor, if any, may be paused here. */
    void yieldPoint() {
        Actor actor = current;
        if (actor == null || Thread.currentThread() != actor.thread || random.nextDouble() >= pauseProbability) {
            return;
        }
        long pauseMillis = random.nextLong(maxPause.toMillis() + 1);
        paused++;
        pauses++;
        loop.after(Duration.ofMillis(pauseMillis), "resume " + actor.label, () -> {
            paused--;
            resume(actor);
        });
        current = null;
        actor.pause();
    }

    /** Actors paused now, waiting for their resume event. */
    int paused() {
        return paused;
    }

    /** How many times an actor was paused in the run. */
    long pauses() {
        return pauses;
    }

    private void resume(Actor actor) {
        current = actor;
        try {
            actor.go();
        } finally {
            current = null;
        }
        Throwable failure = actor.failure;
        if (failure != null) {
            actor.failure = null;
            throw new SimulationFailure("the operation '" + actor.label + "' failed unexpectedly: " + failure, failure);
        }
    }

    /** One operation on its own virtual thread, running only while the loop waits for it. */
    private static final class Actor {
        final String label;
        final Thread thread;
        private final Semaphore run = new Semaphore(0);
        private final Semaphore back = new Semaphore(0);
        private boolean started;

        @Nullable
        Throwable failure;

        Actor(String label, Runnable body) {
            this.label = label;
            this.thread = Thread.ofVirtual().name("sim-actor").unstarted(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    back.release();
                }
            });
        }

        /** From the loop's thread: lets the actor run until it pauses or ends. */
        void go() {
            if (started) {
                run.release();
            } else {
                started = true;
                thread.start();
            }
            try {
                if (!back.tryAcquire(HANDOVER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new SimulationFailure("the operation '" + label + "' blocked outside a port call for "
                            + HANDOVER_TIMEOUT + " (a lock held by a paused operation?)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SimulationFailure("interrupted while running '" + label + "'", e);
            }
        }

        /** From the actor's thread: gives control back to the loop until it is resumed. */
        void pause() {
            back.release();
            run.acquireUninterruptibly();
        }
    }
}
