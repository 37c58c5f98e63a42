package io.vireo.sim.bench.controlplane;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Learns when VMs reach RUNNING without asking about each VM: it reads the event log ({@code GET /api/v1/events
 * ?kind=vm}) from its last sequence on, a page of 1,000 at a time, and keeps the time of each VM's first
 * {@code StateChanged ... -> RUNNING} event, stamped by the server when it recorded the state. A few requests a second
 * however many VMs there are.
 *
 * <p>Threading: {@link #run} polls on the thread that calls it until interrupted; the queries are thread-safe.
 */
final class RunningWatcher implements Runnable {
    static final int PAGE = 1000;
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final ApiClient api;
    private final Clock clock;
    private final Map<UUID, Instant> running = new ConcurrentHashMap<>();
    private final AtomicLong errors = new AtomicLong();
    private final Map<String, AtomicLong> seen = new ConcurrentHashMap<>();
    private final AtomicLong polls = new AtomicLong();
    private volatile long cursor;
    private volatile Instant seenUntil = Instant.EPOCH;

    RunningWatcher(ApiClient api, Clock clock) {
        this.api = requireNonNull(api, "api is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                pollOnce();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                errors.incrementAndGet(); // the server is restarting, say: read on from the same cursor
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }

    /** Reads every event since the cursor. */
    void pollOnce() throws InterruptedException {
        Instant asked = clock.instant();
        while (true) {
            polls.incrementAndGet();
            String path = "/events?kind=vm&limit=" + PAGE + (cursor > 0 ? "&cursor=" + cursor : "");
            JsonNode items = api.call("GET", path, null).path("items");
            for (JsonNode event : items) {
                cursor = Math.max(cursor, event.path("sequence").asLong());
                seen.computeIfAbsent(
                                kind(
                                        event.path("type").asText(),
                                        event.path("message").asText()),
                                key -> new AtomicLong())
                        .incrementAndGet();
                if (reachedRunning(
                        event.path("type").asText(), event.path("message").asText())) {
                    running.putIfAbsent(
                            UUID.fromString(event.path("objectId").asText()),
                            Instant.parse(event.path("createdAt").asText()));
                }
            }
            if (items.size() < PAGE) {
                seenUntil = asked;
                return;
            }
        }
    }

    /** Whether an event says its VM has just become RUNNING ("StateChanged", "STARTING -> RUNNING[: reason]"). */
    static boolean reachedRunning(String type, String message) {
        if (!type.equals("StateChanged")) {
            return false;
        }
        int arrow = message.indexOf(" -> ");
        if (arrow < 0) {
            return false;
        }
        String to = message.substring(arrow + 4);
        return to.equals("RUNNING") || to.startsWith("RUNNING:");
    }

    /** An event's type, and for a state change the state it went to ("StateChanged -> RUNNING"). */
    static String kind(String type, String message) {
        int arrow = message.indexOf(" -> ");
        if (!type.equals("StateChanged") || arrow < 0) {
            return type;
        }
        String to = message.substring(arrow + 4);
        int colon = to.indexOf(':');
        return type + " -> " + (colon < 0 ? to : to.substring(0, colon));
    }

    /** How many VM events of each {@link #kind} were read so far, the failed polls and the cursor. */
    String describe() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        seen.forEach((key, count) -> counts.put(key, count.get()));
        return "events read: " + counts + "; " + polls.get() + " polls, " + errors.get() + " failed, cursor " + cursor;
    }

    /** When VM {@code id} first reached RUNNING, if it has as far as the events read so far say. */
    Optional<Instant> runningAt(UUID id) {
        return Optional.ofNullable(running.get(id));
    }

    /** Every event recorded before this instant has been read. */
    Instant seenUntil() {
        return seenUntil;
    }

    long errors() {
        return errors.get();
    }

    long polls() {
        return polls.get();
    }
}
