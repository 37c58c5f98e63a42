package io.vireo.server.metrics;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vireo.agent.metrics.MetricsExposition;
import io.vireo.api.ApiTelemetry;
import io.vireo.api.json.MetricsTargetGroupJson;
import io.vireo.controller.HeartbeatBatcher;
import io.vireo.controller.port.Repositories;
import io.vireo.server.grpc.AgentStreamService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The server's metrics registry and what the API serves of it (ADR 21). The composition root creates one, hands its
 * registry to what it measures ({@link MeteredScheduler}, {@link MeteredEvents}, the store's pool), tells it which
 * queues to watch, and gives it to the API as its {@link ApiTelemetry}. JVM and process meters are bound too.
 * Thread-safe.
 */
public final class ServerMetrics implements ApiTelemetry, AutoCloseable {
    /** Buckets of the API's latency histogram: around the 100 ms target of a mutating call. */
    private static final Duration[] API_BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5)
    };

    /** The methods that label a request; any other is {@code OTHER}, so that no caller can add series. */
    private static final java.util.Set<String> METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final PrometheusMeterRegistry registry;
    private final MetricsExposition exposition;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile Supplier<List<AgentStreamService.MetricsTarget>> targets = List::of;

    public ServerMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.exposition = new MetricsExposition(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Reports the cluster's figures from {@code store} at each scrape ({@link ClusterCollector}). */
    public void watchCluster(Repositories store, Clock clock) {
        registry.getPrometheusRegistry().register(new ClusterCollector(store, clock));
    }

    /** Reports the heartbeats waiting to be written. */
    public void watchHeartbeats(HeartbeatBatcher heartbeats) {
        requireNonNull(heartbeats, "heartbeats is null");
        Gauge.builder("vireo.heartbeats.pending", heartbeats, HeartbeatBatcher::pending)
                .description("Agent heartbeats waiting for the next batched write (at most one per host)")
                .register(registry);
    }

    /** Reports a pool's connections ({@code hikaricp_connections_*}), if it is HikariCP's. */
    public void watchPool(DataSource pool) {
        if (pool instanceof HikariDataSource hikari) {
            hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
    }

    /** Lists the targets of the agents connected to this replica in the service discovery. */
    public void listTargets(Supplier<List<AgentStreamService.MetricsTarget>> agentTargets) {
        this.targets = requireNonNull(agentTargets, "agentTargets is null");
    }

    @Override
    public Exposition scrape(@Nullable String accept) {
        MetricsExposition.Scrape scrape = exposition.scrape(accept);
        return new Exposition(scrape.contentType(), scrape.text());
    }

    @Override
    public List<MetricsTargetGroupJson> agentTargets() {
        return targets.get().stream()
                .map(target -> new MetricsTargetGroupJson(
                        List.of(target.address()),
                        Map.of(
                                "__meta_vireo_host_id", target.hostId().toString(),
                                "__meta_vireo_host_name", target.hostName())))
                .toList();
    }

    @Override
    public void served(String method, String route, int status, Duration elapsed) {
        Timer.builder("vireo.api.request.duration")
                .description("API requests served, by method, route template and status, and their latency")
                .tags("method", METHODS.contains(method) ? method : "OTHER", "route", route, "status", status(status))
                .serviceLevelObjectives(API_BUCKETS)
                .register(registry)
                .record(elapsed);
    }

    private static String status(int status) {
        return status >= 100 && status <= 599 ? Integer.toString(status) : "other";
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
