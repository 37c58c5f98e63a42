package io.vireo.sim.bench.controlplane;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The figures of one phase of the load, and whether a create step was sustained: at most 1% of its creates failed and
 * VMs reached RUNNING at 90% or more of the offered rate over the step's second half (the first half lets the pipeline
 * fill at the new rate). Figures that have no sample are null.
 *
 * @param runningPerSecond VMs of the benchmark reaching RUNNING per second over the step's second half
 * @param notRunning VMs created in the step with no RUNNING event by the time the step was judged; their create to
 *     RUNNING counts as the time until then (a lower bound)
 * @param serverCores CPU of the server's JVM, in cores (1.0 = one core busy all the time)
 * @param postgresCores CPU of its PostgreSQL processes, in cores
 * @param loadCores CPU of the load process (agents and HTTP clients), in cores
 */
record StepOutcome(
        String label,
        double offeredPerSecond,
        double seconds,
        long createsDue,
        long createsAccepted,
        long createsFailed,
        @Nullable Double runningPerSecond,
        @Nullable Double p50CreateMillis,
        @Nullable Double p99CreateMillis,
        @Nullable Double p50MutatingMillis,
        @Nullable Double p99MutatingMillis,
        @Nullable Double p50CreateToRunningMillis,
        @Nullable Double p99CreateToRunningMillis,
        long notRunning,
        long lists,
        @Nullable Double p50ListMillis,
        @Nullable Double p99ListMillis,
        @Nullable Double p99ShowMillis,
        long otherCalls,
        long otherFailed,
        long heartbeatAcks,
        @Nullable Double heartbeatLagP50Millis,
        @Nullable Double heartbeatLagP99Millis,
        @Nullable Double serverCores,
        @Nullable Double postgresCores,
        @Nullable Double loadCores,
        boolean sustained) {
    /** The share of a step's creates that may fail for it to count as sustained. */
    static final double MAX_FAILED_SHARE = 0.01;
    /** The share of the offered rate at which VMs must reach RUNNING for the step to count as sustained. */
    static final double MIN_RUNNING_SHARE = 0.9;

    /** Whether a step that offered {@code offered} creates per second kept up. */
    static boolean sustained(double offered, long due, long failed, @Nullable Double runningPerSecond) {
        return due > 0
                && failed <= MAX_FAILED_SHARE * due
                && runningPerSecond != null
                && runningPerSecond >= MIN_RUNNING_SHARE * offered;
    }

    /** How many of {@code times} fall in [{@code from}, {@code to}), per second of that span. */
    static @Nullable Double perSecond(Collection<Instant> times, Instant from, Instant to) {
        double seconds = Duration.between(from, to).toNanos() / 1e9;
        if (!(seconds > 0)) {
            return null;
        }
        long count = times.stream()
                .filter(time -> !time.isBefore(from) && time.isBefore(to))
                .count();
        return count / seconds;
    }

    /** Create-to-RUNNING latencies, and how many had not got there by {@code judgedAt} (counted as reaching it then). */
    record ToRunning(Latencies latencies, long notRunning) {}

    static ToRunning toRunning(
            List<StepRecorder.Created> created, Function<UUID, Optional<Instant>> runningAt, Instant judgedAt) {
        Latencies latencies = new Latencies();
        long notRunning = 0;
        for (StepRecorder.Created vm : created) {
            Optional<Instant> running = runningAt.apply(vm.id());
            if (running.isEmpty()) {
                notRunning++;
            }
            Instant reached = running.orElse(judgedAt);
            latencies.recordNanos(
                    Math.max(0, Duration.between(vm.due(), reached).toNanos()));
        }
        return new ToRunning(latencies, notRunning);
    }

    /** A percentile in milliseconds, null without samples, to 0.1 ms. */
    static @Nullable Double percentile(Latencies latencies, double percent) {
        return figure(latencies.percentileMillis(percent));
    }

    /** {@code value} to one decimal, null if it is not a number. */
    static @Nullable Double figure(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        return Math.round(value * 10) / 10.0;
    }
}
