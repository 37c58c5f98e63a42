package io.vireo.sim.bench.controlplane;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The stepped part of the load: creates at rising rates (a warm-up at the first rate, then one step per rate, each
 * held for the step's length, one after the other without a pause), while the mix and the lists run at their own
 * steady rates throughout. After each step it judges whether VMs kept reaching RUNNING at the offered rate, and stops
 * after the first step that did not (the next step, already begun, is cut short and not reported).
 *
 * <p>Threading: three pacing threads from the given factory (creates, mix, lists) hand the requests to the request
 * executor; {@link #run} judges on the calling thread. The phase in force is published through {@code current}.
 */
final class CreateSteps {
    /** How long to wait, after a step, for the event log to show what happened up to its end. */
    private static final Duration EVENT_LAG = Duration.ofSeconds(5);
    /** How long in-flight requests get to finish once the load stops. */
    private static final Duration DRAIN = Duration.ofSeconds(60);

    /** One phase of the create pacing and the costs read at its ends. */
    private record Window(
            StepRecorder recorder,
            long startNanos,
            long endNanos,
            CostMeter.Reading atStart,
            CostMeter.Reading atEnd,
            boolean warmup) {}

    private final ControlPlaneOptions options;
    private final LoadMix mix;
    private final RunningWatcher watcher;
    private final NanoWallClock wall;
    private final CostMeter costs;
    private final ServerProcess server;
    private final AtomicReference<StepRecorder> current;
    private final ThreadFactory pacingThreads;
    private final RequestPacer pacer;
    private final PrintStream progress;
    private final List<Window> windows = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    CreateSteps(
            ControlPlaneOptions options,
            LoadMix mix,
            RunningWatcher watcher,
            NanoWallClock wall,
            CostMeter costs,
            ServerProcess server,
            AtomicReference<StepRecorder> current,
            ThreadFactory pacingThreads,
            RequestPacer pacer,
            PrintStream progress) {
        this.options = requireNonNull(options, "options is null");
        this.mix = requireNonNull(mix, "mix is null");
        this.watcher = requireNonNull(watcher, "watcher is null");
        this.wall = requireNonNull(wall, "wall is null");
        this.costs = requireNonNull(costs, "costs is null");
        this.server = requireNonNull(server, "server is null");
        this.current = requireNonNull(current, "current is null");
        this.pacingThreads = requireNonNull(pacingThreads, "pacingThreads is null");
        this.pacer = requireNonNull(pacer, "pacer is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** Runs the steps; the outcome of each complete step (not the warm-up), judged once the load has drained. */
    List<StepOutcome> run() throws InterruptedException {
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        if (options.mixRate() > 0) {
            threads.add(steady("mix", new OpenLoopSchedule(start, options.mixRate()), mix.mix(current::get)));
        }
        if (options.listRate() > 0) {
            threads.add(steady("lists", new OpenLoopSchedule(start, options.listRate()), mix.lists(current::get)));
        }
        Thread creates = pacingThreads.newThread(() -> paceCreates(start));
        creates.setName("bench-creates");
        creates.start();
        judgeWhileRunning(creates);
        stop.set(true);
        creates.join();
        for (Thread thread : threads) {
            thread.join();
        }
        drain();
        awaitEvents(wall.wall(System.nanoTime()));
        Instant judgedAt = wall.wall(System.nanoTime());
        List<StepOutcome> outcomes = new ArrayList<>();
        for (Window window : windows) {
            if (!window.warmup()) {
                outcomes.add(outcome(window, judgedAt));
            }
        }
        return outcomes;
    }

    private Thread steady(String name, OpenLoopSchedule schedule, RequestPacer.Operation operation) {
        Thread thread = pacingThreads.newThread(() -> pacer.pace(schedule, Long.MAX_VALUE, stop::get, operation));
        thread.setName("bench-" + name);
        thread.start();
        return thread;
    }

    private void paceCreates(long start) {
        long at = start;
        if (!options.warmup().isZero()) {
            at = paceOne(StepRecorder.named("warm-up", options.rate(0)), at, options.warmup(), true);
        }
        for (int step = 0; step < options.maxSteps() && !stop.get(); step++) {
            String label = String.format(Locale.ROOT, "step %d", step + 1);
            at = paceOne(StepRecorder.named(label, options.rate(step)), at, options.step(), false);
        }
    }

    private long paceOne(StepRecorder recorder, long startNanos, Duration length, boolean warmup) {
        current.set(recorder);
        CostMeter.Reading atStart = costs.read(server);
        long end = startNanos + length.toNanos();
        pacer.pace(
                new OpenLoopSchedule(startNanos, recorder.offeredPerSecond()), end, stop::get, mix.creates(recorder));
        if (!stop.get()) {
            windows.add(new Window(recorder, startNanos, end, atStart, costs.read(server), warmup));
        }
        return end;
    }

    /** Judges each step as it ends; returns when one was not sustained or the last has ended. */
    private void judgeWhileRunning(Thread creates) throws InterruptedException {
        int judged = 0;
        while (creates.isAlive() || judged < windows.size()) {
            if (judged >= windows.size()) {
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                continue;
            }
            Window window = windows.get(judged++);
            if (window.warmup()) {
                progress.printf(
                        Locale.ROOT,
                        "warm-up at %.0f creates/s done%n",
                        window.recorder().offeredPerSecond());
                continue;
            }
            awaitEvents(wall.wall(window.endNanos()));
            StepOutcome outcome = outcome(window, wall.wall(System.nanoTime()));
            progress.println(describe(outcome));
            if (!outcome.sustained()) {
                return;
            }
        }
    }

    /** Waits until the event log has been read past {@code until} (with a margin), at most {@link #EVENT_LAG}. */
    private void awaitEvents(Instant until) {
        long deadline = System.nanoTime() + EVENT_LAG.toNanos();
        Instant margin = until.plusSeconds(1);
        while (watcher.seenUntil().isBefore(margin) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private void drain() {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (pacer.inFlight() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        if (pacer.inFlight() > 0) {
            progress.printf("%d requests still unanswered after %d s%n", pacer.inFlight(), DRAIN.toSeconds());
        }
    }

    private StepOutcome outcome(Window window, Instant judgedAt) {
        StepRecorder step = window.recorder();
        Instant start = wall.wall(window.startNanos());
        Instant end = wall.wall(window.endNanos());
        Instant middle = start.plus(Duration.between(start, end).dividedBy(2));
        List<Instant> running = new ArrayList<>();
        for (Window any : windows) {
            for (StepRecorder.Created vm : any.recorder().createdSoFar()) {
                watcher.runningAt(vm.id()).ifPresent(running::add);
            }
        }
        Double runningPerSecond = StepOutcome.perSecond(running, middle, end);
        StepOutcome.ToRunning toRunning = StepOutcome.toRunning(step.createdSoFar(), watcher::runningAt, judgedAt);
        CostMeter.Cores cores = CostMeter.between(window.atStart(), window.atEnd());
        long due = step.createsDue().get();
        long failed = step.createsFailed().get();
        return new StepOutcome(
                step.label(),
                step.offeredPerSecond(),
                Math.round(Duration.between(start, end).toMillis() / 100.0) / 10.0,
                due,
                due - failed,
                failed,
                StepOutcome.figure(runningPerSecond == null ? Double.NaN : runningPerSecond),
                StepOutcome.percentile(step.creates(), 50),
                StepOutcome.percentile(step.creates(), 99),
                StepOutcome.percentile(step.mutating(), 50),
                StepOutcome.percentile(step.mutating(), 99),
                StepOutcome.percentile(toRunning.latencies(), 50),
                StepOutcome.percentile(toRunning.latencies(), 99),
                toRunning.notRunning(),
                step.lists().count(),
                StepOutcome.percentile(step.lists(), 50),
                StepOutcome.percentile(step.lists(), 99),
                StepOutcome.percentile(step.shows(), 99),
                step.otherCalls().get(),
                step.otherFailed().get(),
                step.heartbeats().count(),
                StepOutcome.percentile(step.heartbeats(), 50),
                StepOutcome.percentile(step.heartbeats(), 99),
                cores.server(),
                cores.postgres(),
                cores.load(),
                StepOutcome.sustained(step.offeredPerSecond(), due, failed, runningPerSecond));
    }

    static String describe(StepOutcome outcome) {
        return String.format(
                Locale.ROOT,
                "%s: offered %.0f creates/s, %d due (%d failed), RUNNING %s/s; create p99 %s ms, create -> RUNNING p99"
                        + " %s ms (%d not RUNNING), list p99 %s ms, heartbeat lag p99 %s ms; cores server %s, PostgreSQL"
                        + " %s, load %s: %s",
                outcome.label(),
                outcome.offeredPerSecond(),
                outcome.createsDue(),
                outcome.createsFailed(),
                Optional.ofNullable(outcome.runningPerSecond())
                        .map(String::valueOf)
                        .orElse("n/a"),
                text(outcome.p99CreateMillis()),
                text(outcome.p99CreateToRunningMillis()),
                outcome.notRunning(),
                text(outcome.p99ListMillis()),
                text(outcome.heartbeatLagP99Millis()),
                cores(outcome.serverCores()),
                cores(outcome.postgresCores()),
                cores(outcome.loadCores()),
                outcome.sustained() ? "sustained" : "NOT sustained");
    }

    private static String cores(@Nullable Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String text(@Nullable Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.0f", value);
    }
}
