package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.ApiTelemetry;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.MetricsTargetGroupJson;
import java.util.List;

/**
 * The server's Prometheus metrics and the service discovery of the agents' (ADR 21). Both are cloud-wide, so the
 * access policy opens them to the admin project's users only; a reader service account there is the scraper's
 * credential.
 */
public final class MetricsResource {
    public static final String METRICS = "/metrics";
    public static final String TARGETS = ApiPaths.V1 + "/metrics/targets";

    private final ApiTelemetry telemetry;

    public MetricsResource(ApiTelemetry telemetry) {
        this.telemetry = requireNonNull(telemetry, "telemetry is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        METRICS,
                        Operation.builder("metrics", "The server's metrics, for Prometheus")
                                .parameter(Parameter.header(
                                        "Accept",
                                        "application/openmetrics-text for OpenMetrics; anything else for the text"
                                                + " format",
                                        1024))
                                .responds(
                                        200,
                                        "The metrics: OpenMetrics 1.0 if the Accept header asks for"
                                                + " application/openmetrics-text, else the Prometheus text format 0.0.4",
                                        Payload.text(
                                                "text/plain; version=0.0.4",
                                                "application/openmetrics-text; version=1.0.0"))
                                .build(),
                        request -> {
                            ApiTelemetry.Exposition exposition =
                                    telemetry.scrape(request.header("Accept").orElse(null));
                            return ApiResponse.text(exposition.contentType(), exposition.text());
                        }),
                Route.of(
                        HttpMethod.GET,
                        TARGETS,
                        Operation.builder(
                                        "listMetricsTargets",
                                        "The agents' metrics targets, for Prometheus's HTTP service discovery")
                                .responds(
                                        200,
                                        "One group per agent serving metrics (those connected to this server)",
                                        Payload.listOf(MetricsTargetGroupJson.class))
                                .build(),
                        request -> ApiResponse.ok(telemetry.agentTargets())));
    }
}
