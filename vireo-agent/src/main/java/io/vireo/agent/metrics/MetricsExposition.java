package io.vireo.agent.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Writes a registry in the format a scrape asks for: OpenMetrics 1.0 when the {@code Accept} header names
 * {@code application/openmetrics-text}, else the Prometheus text format 0.0.4, as Prometheus negotiates. The server's
 * {@code /metrics} uses it too, so that both answer alike. Thread-safe.
 */
public final class MetricsExposition {
    public static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** A scrape's answer: its content type and text. */
    public record Scrape(String contentType, String text) {
        public Scrape {
            requireNonNull(contentType, "contentType is null");
            requireNonNull(text, "text is null");
        }
    }

    private final PrometheusMeterRegistry registry;

    public MetricsExposition(PrometheusMeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    /** The content type to answer a request with this {@code Accept} header (null: none sent). */
    public static String contentType(@Nullable String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text")
                ? OPENMETRICS
                : TEXT;
    }

    public Scrape scrape(@Nullable String accept) {
        String contentType = contentType(accept);
        return new Scrape(contentType, registry.scrape(contentType));
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
