package io.vireo.server.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vireo.model.Host;
import io.vireo.scheduler.GangPlacementResult;
import io.vireo.scheduler.PlacementBatch;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.PlacementResult;
import io.vireo.scheduler.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The scheduler as the server runs it, measured: every decision counted by kind ({@code vm}, {@code gang}) and
 * outcome ({@code placed}, {@code no_valid_host}) with its latency, and every decision that found no valid host counted
 * once per filter that rejected hosts in it. Filter names are the plugins' names, a fixed set. The decisions stay the
 * scheduler's: this only measures them, so the scheduler remains a pure library (the latency is wall time, read here
 * at the edge). Thread-safe as the scheduler is.
 */
public final class MeteredScheduler implements Scheduler {
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(100_000),
        Duration.ofMillis(1),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofSeconds(1)
    };

    private final Scheduler scheduler;
    private final MeterRegistry registry;

    public MeteredScheduler(Scheduler scheduler, MeterRegistry registry) {
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public PlacementResult place(List<Host> hosts, PlacementRequest request) {
        return measured("vm", () -> scheduler.place(hosts, request));
    }

    @Override
    public PlacementBatch batch(List<Host> hosts) {
        PlacementBatch batch = scheduler.batch(hosts);
        return new PlacementBatch() {
            @Override
            public PlacementResult place(PlacementRequest request) {
                return measured("vm", () -> batch.place(request));
            }

            @Override
            public GangPlacementResult placeGang(PlacementRequest template, List<UUID> vmIds) {
                return measured("gang", () -> batch.placeGang(template, vmIds));
            }

            @Override
            public void update(Host host) {
                batch.update(host);
            }
        };
    }

    private <T> T measured(String kind, Supplier<T> decision) {
        long start = System.nanoTime();
        T result = decision.get();
        long elapsed = System.nanoTime() - start;
        Map<String, Integer> rejections = switch (result) {
            case PlacementResult.NoValidHost none -> none.rejections();
            case GangPlacementResult.NoValidHost none -> none.rejections();
            default -> null;
        };
        String outcome = rejections == null ? "placed" : "no_valid_host";
        Timer.builder("vireo.scheduler.decision.duration")
                .description("Time the scheduler took per decision (a gang's is one decision)")
                .tags("kind", kind, "outcome", outcome)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(Duration.ofNanos(elapsed));
        Counter.builder("vireo.scheduler.decisions")
                .description("Placement decisions, by kind and outcome")
                .tags("kind", kind, "outcome", outcome)
                .register(registry)
                .increment();
        if (rejections != null) {
            rejections.forEach((filter, hosts) -> {
                if (hosts > 0) {
                    Counter.builder("vireo.scheduler.no.valid.host.filter")
                            .description("Decisions that found no valid host, once per filter that rejected hosts")
                            .tags("filter", filter)
                            .register(registry)
                            .increment();
                }
            });
        }
        return result;
    }
}
