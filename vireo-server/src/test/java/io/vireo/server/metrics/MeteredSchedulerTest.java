package io.vireo.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vireo.agent.metrics.MetricsExposition;
import io.vireo.model.Host;
import io.vireo.model.Resources;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.PlacementResult;
import io.vireo.scheduler.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MeteredSchedulerTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void decisionsAreCountedByOutcomeAndNoValidHostByEachFilterThatRejected() {
        Scheduler refusing = (hosts, request) -> new PlacementResult.NoValidHost(
                "2 hosts: ResourceFit rejected 2", Map.of("ResourceFit", 2, "HostState", 0));
        Scheduler metered = new MeteredScheduler(refusing, registry);

        PlacementRequest request = new PlacementRequest(UUID.randomUUID(), new Resources(1, 512, 5));
        metered.place(List.<Host>of(), request);
        metered.batch(List.of()).place(request);

        String text = registry.scrape(MetricsExposition.TEXT);
        assertThat(text)
                .contains("vireo_scheduler_decisions_total{kind=\"vm\",outcome=\"no_valid_host\"} 2")
                .contains("vireo_scheduler_no_valid_host_filter_total{filter=\"ResourceFit\"} 2")
                .doesNotContain("filter=\"HostState\"")
                .contains("# TYPE vireo_scheduler_decision_duration_seconds histogram")
                .contains(
                        "vireo_scheduler_decision_duration_seconds_bucket{kind=\"vm\",outcome=\"no_valid_host\",le=\"0.001\"}")
                .contains("vireo_scheduler_decision_duration_seconds_count{kind=\"vm\",outcome=\"no_valid_host\"} 2");
    }

    @Test
    void apiRequestsAreLabelledByRouteTemplateAndAnUnknownMethodCannotAddSeries() {
        ServerMetrics metrics = new ServerMetrics();
        metrics.served("GET", "/api/v1/vms/{nameOrId}", 200, Duration.ofMillis(7));
        metrics.served("BREW", "unmatched", 404, Duration.ofMillis(1));

        String text = metrics.scrape(null).text();
        assertThat(text)
                .contains("vireo_api_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/vms/{nameOrId}\","
                        + "status=\"200\"} 1")
                .contains("vireo_api_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/vms/{nameOrId}\","
                        + "status=\"200\",le=\"0.01\"} 1")
                .contains("method=\"OTHER\",route=\"unmatched\",status=\"404\"")
                .doesNotContain("BREW");
        metrics.close();
    }
}
