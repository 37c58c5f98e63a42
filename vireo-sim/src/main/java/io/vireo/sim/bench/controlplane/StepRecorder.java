package io.vireo.sim.bench.controlplane;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happens during one phase of the load (the warm-up, a create step, the prefill), recorded as it happens by the
 * request threads and the agents' heartbeat acknowledgements. Thread-safe.
 *
 * @param label how the phase is named in the report
 * @param offeredPerSecond creates per second offered (0 for a closed-loop phase)
 */
record StepRecorder(
        String label,
        double offeredPerSecond,
        Latencies creates,
        Latencies mutating,
        Latencies lists,
        Latencies shows,
        Latencies heartbeats,
        AtomicLong createsDue,
        AtomicLong createsFailed,
        AtomicLong otherCalls,
        AtomicLong otherFailed,
        ConcurrentLinkedQueue<Created> created) {
    /** A VM whose create was accepted, and when the create was due (wall clock). */
    record Created(UUID id, Instant due) {
        Created {
            requireNonNull(id, "id is null");
            requireNonNull(due, "due is null");
        }
    }

    StepRecorder {
        requireNonNull(label, "label is null");
    }

    static StepRecorder named(String label, double offeredPerSecond) {
        return new StepRecorder(
                label,
                offeredPerSecond,
                new Latencies(),
                new Latencies(),
                new Latencies(),
                new Latencies(),
                new Latencies(),
                new AtomicLong(),
                new AtomicLong(),
                new AtomicLong(),
                new AtomicLong(),
                new ConcurrentLinkedQueue<>());
    }

    List<Created> createdSoFar() {
        return List.copyOf(created);
    }
}
