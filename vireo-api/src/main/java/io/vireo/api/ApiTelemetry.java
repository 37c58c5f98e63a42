package io.vireo.api;

import static java.util.Objects.requireNonNull;

import io.vireo.api.json.MetricsTargetGroupJson;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the API needs of the server's metrics (ADR 21): the exposition it serves on {@code /metrics}, the agents'
 * scrape targets it serves for Prometheus's HTTP service discovery, and where it reports each request it served. The
 * server implements it with Micrometer; the API itself holds no meter. Implementations are thread-safe.
 */
public interface ApiTelemetry {
    /** The metrics, in the format of {@code contentType}. */
    record Exposition(String contentType, String text) {
        public Exposition {
            requireNonNull(contentType, "contentType is null");
            requireNonNull(text, "text is null");
        }
    }

    /** The metrics in the format an {@code Accept} header asks for (null: none sent). */
    Exposition scrape(@Nullable String accept);

    /** The agents' metrics targets, one group per host. */
    List<MetricsTargetGroupJson> agentTargets();

    /**
     * A request was answered: {@code route} is its route's path template ({@code /api/v1/vms/{nameOrId}}), or
     * {@link #UNMATCHED} when no route matched; never the raw path.
     */
    void served(String method, String route, int status, Duration elapsed);

    /** The route label of a request no route matched. */
    String UNMATCHED = "unmatched";

    /** No metrics: an empty exposition and no targets, for tests and embedders without a registry. */
    ApiTelemetry NONE = new ApiTelemetry() {
        @Override
        public Exposition scrape(@Nullable String accept) {
            return new Exposition("text/plain; version=0.0.4; charset=utf-8", "");
        }

        @Override
        public List<MetricsTargetGroupJson> agentTargets() {
            return List.of();
        }

        @Override
        public void served(String method, String route, int status, Duration elapsed) {}
    };
}
