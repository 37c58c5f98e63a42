package io.vireo.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentMetricsEndpointTest {
    private static final String TOKEN = "scrape-me";

    private final ScrapeCredential credential = new ScrapeCredential();
    private final AgentMetricsEndpoint endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    AgentMetricsEndpointTest() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.getPrometheusRegistry().register(new VmMetricsCollector(List::of));
        endpoint = AgentMetricsEndpoint.start("127.0.0.1", 0, new MetricsExposition(registry), credential);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private HttpResponse<String> send(String method, String path, @Nullable String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void beforeTheServerSentACredentialEveryScrapeIsToldToComeBack() throws Exception {
        HttpResponse<String> response = send("GET", "/metrics", TOKEN);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
        assertThat(response.body()).contains("\"code\":\"UNAVAILABLE\"");
    }

    @Test
    void onlyTheServersTokenScrapes() throws Exception {
        credential.accept(ScrapeCredential.sha256(TOKEN));

        HttpResponse<String> refused = send("GET", "/metrics", "another");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(refused.body()).startsWith("{\"error\":{\"code\":\"UNAUTHENTICATED\"");
        assertThat(send("GET", "/metrics", null).statusCode()).isEqualTo(401);

        HttpResponse<String> scraped = send("GET", "/metrics", TOKEN);
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type")).contains(MetricsExposition.TEXT);
        assertThat(scraped.body()).contains("vireo_agent_vms_sampled 0");
    }

    @Test
    void nothingButGetMetricsIsServed() throws Exception {
        credential.accept(ScrapeCredential.sha256(TOKEN));

        assertThat(send("GET", "/other", TOKEN).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/metrics", TOKEN).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/metrics/../etc", TOKEN).statusCode()).isEqualTo(404);
    }
}
