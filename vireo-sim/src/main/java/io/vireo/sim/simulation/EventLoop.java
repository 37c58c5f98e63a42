package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * The simulation's only source of progress: events ordered by virtual time, then by the order they were scheduled (so
 * ties never depend on anything but the run itself). Running an event advances the clock to its time and folds its
 * time and label into the trace hash, which two runs of one seed must agree on.
 */
final class EventLoop {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /** How many of the latest events and notes a run keeps to show what led to a violation. */
    static final int RECENT = Integer.getInteger("vireo.sim.recent", 60);

    /** One scheduled event; {@code label} names it in traces, deterministically (names, never identity hashes). */
    record Event(Instant at, long sequence, String label, Runnable action) {}

    private final PriorityQueue<Event> queue =
            new PriorityQueue<>(Comparator.comparing(Event::at).thenComparingLong(Event::sequence));
    private final SimClock clock;
    private long sequence;
    private long executed;
    private long trace = FNV_OFFSET;
    private final ArrayDeque<Line> recent = new ArrayDeque<>();
    private final Instant start;

    EventLoop(SimClock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.start = clock.instant();
    }

    SimClock clock() {
        return clock;
    }

    Instant now() {
        return clock.instant();
    }

    void at(Instant when, String label, Runnable action) {
        Instant time = when.isBefore(clock.instant()) ? clock.instant() : when;
        queue.add(new Event(time, sequence++, label, action));
    }

    void after(Duration delay, String label, Runnable action) {
        at(clock.instant().plus(delay), label, action);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Runs the next event; returns it. */
    Event runNext() {
        Event event = queue.remove();
        clock.advanceTo(event.at());
        mix(event.at().toEpochMilli());
        mix(event.label().hashCode());
        executed++;
        remember(new Line(event.at(), event.label(), false));
        event.action().run();
        return event;
    }

    /** Folds a fact the run decided (an outcome, a fault) into the trace hash. */
    void note(String fact) {
        mix(fact.hashCode());
        remember(new Line(clock.instant(), fact, true));
    }

    /** The last {@link #RECENT} events and notes, oldest first: what led to the state of now. */
    List<String> recent() {
        return recent.stream()
                .map(line -> String.format(
                        Locale.ROOT,
                        "%10.3f s %s %s",
                        Duration.between(start, line.at()).toNanos() / 1e9,
                        line.note() ? "  =" : "",
                        line.text()))
                .toList();
    }

    /** An event run, or an outcome noted, kept unformatted: formatting costs only when a run fails. */
    private record Line(Instant at, String text, boolean note) {}

    private void remember(Line line) {
        if (recent.size() == RECENT) {
            recent.removeFirst();
        }
        recent.addLast(line);
    }

    long executed() {
        return executed;
    }

    long traceHash() {
        return trace;
    }

    private void mix(long value) {
        for (int i = 0; i < Long.BYTES; i++) {
            trace ^= (value >>> (8 * i)) & 0xff;
            trace *= FNV_PRIME;
        }
    }
}
