package io.vireo.sim.bench.controlplane;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * CPU used between two readings, in cores: of the server's JVM, of its PostgreSQL, of this load process. Readings come
 * from {@code /proc}; a process that could not be read counts nothing.
 */
final class CostMeter {
    /** CPU ticks of the three processes and the time they were read. */
    record Reading(long nanos, long serverTicks, long postgresTicks, long loadTicks) {}

    /** Cores used between two readings. */
    record Cores(
            @Nullable Double server,
            @Nullable Double postgres,
            @Nullable Double load) {}

    private final long loadPid = ProcessHandle.current().pid();

    Reading read(ServerProcess server) {
        long serverTicks = server.jvm().map(ProcFiles.Sample::ownTicks).orElse(0L);
        long loadTicks = ProcFiles.read(loadPid).map(ProcFiles.Sample::ownTicks).orElse(0L);
        return new Reading(System.nanoTime(), serverTicks, server.postgresTicks(), loadTicks);
    }

    static Cores between(Reading from, Reading to) {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        if (!(seconds > 0)) {
            return new Cores(null, null, null);
        }
        return new Cores(
                cores(to.serverTicks() - from.serverTicks(), seconds),
                cores(to.postgresTicks() - from.postgresTicks(), seconds),
                cores(to.loadTicks() - from.loadTicks(), seconds));
    }

    private static @Nullable Double cores(long ticks, double seconds) {
        if (ticks < 0) {
            return null; // a process restarted in between
        }
        return Math.round(ticks / (double) ProcFiles.TICKS_PER_SECOND / seconds * 100) / 100.0;
    }
}
