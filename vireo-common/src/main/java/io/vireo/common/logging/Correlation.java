package io.vireo.common.logging;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts a request's correlation id in the SLF4J MDC under {@link #KEY} while work for that request runs, so that every
 * log line it writes carries the id ({@code [%X{correlationId}]} in the text format, a {@code correlationId} field in
 * JSON and in syslog's structured data). The MDC is per thread: work handed to another thread takes the id along
 * with {@link #run} or {@link #open} there. A null id leaves the thread's current id in place, so callers need not
 * check whether they have one.
 *
 * <p>Every method restores the id the thread had before, so scopes nest.
 */
public final class Correlation {
    /** The MDC key, also the field name in JSON lines and the syslog structured-data parameter. */
    public static final String KEY = "correlationId";

    private Correlation() {}

    /** Runs {@code work} with {@code correlationId} in the MDC of this thread. */
    public static void run(@Nullable String correlationId, Runnable work) {
        requireNonNull(work, "work is null");
        try (Scope scope = open(correlationId)) {
            work.run();
        }
    }

    /** Calls {@code work} with {@code correlationId} in the MDC of this thread and returns its result. */
    public static <T> T call(@Nullable String correlationId, Supplier<T> work) {
        requireNonNull(work, "work is null");
        try (Scope scope = open(correlationId)) {
            return work.get();
        }
    }

    /**
     * Puts {@code correlationId} in the MDC of this thread until the returned scope is closed (try-with-resources),
     * for a loop body that {@code continue}s.
     */
    public static Scope open(@Nullable String correlationId) {
        String previous = MDC.get(KEY);
        if (correlationId != null) {
            MDC.put(KEY, correlationId);
        }
        return new Scope(previous);
    }

    /** The correlation id in the MDC of this thread, if any. */
    public static @Nullable String current() {
        return MDC.get(KEY);
    }

    /** Restores the id the thread had before {@link #open}. Close it on the thread that opened it. */
    public static final class Scope implements AutoCloseable {
        private final @Nullable String previous;

        private Scope(@Nullable String previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                MDC.remove(KEY);
            } else {
                MDC.put(KEY, previous);
            }
        }
    }
}
