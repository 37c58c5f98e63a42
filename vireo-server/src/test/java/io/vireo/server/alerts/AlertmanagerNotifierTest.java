package io.vireo.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vireo.controller.alerts.AlertNotice;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The notifier posts Alertmanager's JSON to {@code /api/v2/alerts} of every receiver, and counts a receiver that
 * refuses or cannot be reached without holding up the others or the caller.
 */
class AlertmanagerNotifierTest {
    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final HttpServer receiver = receiver();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private HttpServer receiver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                paths.add(exchange.getRequestURI().getPath());
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(exchange.getRequestURI().getPath().startsWith("/refuses") ? 400 : 200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    @Test
    void firingAndResolvedAlertsArePostedAsAlertmanagerTakesThem() throws Exception {
        AlertmanagerNotifier notifier = new AlertmanagerNotifier(
                List.of(URI.create(base()), URI.create(base() + "/refuses"), URI.create("http://127.0.0.1:1")),
                () -> "https://vireo.example/api/v1/alerts",
                registry);
        notifier.send(List.of(
                new AlertNotice(
                        Map.of("alertname", "VireoHostDown", "severity", "critical", "host", "h1"),
                        Map.of("summary", "A host is down"),
                        NOW,
                        NOW.plusSeconds(120),
                        true),
                new AlertNotice(
                        Map.of("alertname", "VireoVmStuck", "severity", "warning"),
                        Map.of(),
                        NOW.minusSeconds(60),
                        NOW,
                        false)));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(failed()).isEqualTo(2));
        assertThat(paths).containsExactlyInAnyOrder("/api/v2/alerts", "/refuses/api/v2/alerts");
        JsonNode alerts = new ObjectMapper().readTree(bodies.getFirst());
        assertThat(alerts).hasSize(2);
        JsonNode firing = alerts.get(0);
        assertThat(firing.path("labels").path("alertname").asText()).isEqualTo("VireoHostDown");
        assertThat(firing.path("annotations").path("summary").asText()).isEqualTo("A host is down");
        assertThat(firing.path("startsAt").asText()).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(firing.path("endsAt").asText()).isEqualTo("2026-11-02T10:02:00Z");
        assertThat(firing.path("generatorURL").asText()).isEqualTo("https://vireo.example/api/v1/alerts");
        assertThat(alerts.get(1).path("endsAt").asText()).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(registry.get("vireo.alert.notifications.sent")
                        .tag("receiver", base() + "/api/v2/alerts")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aReceiverUrlKeepsAnApiPathItAlreadyHas() {
        assertThat(AlertmanagerNotifier.endpoint(URI.create("http://am:9093/")))
                .isEqualTo(URI.create("http://am:9093/api/v2/alerts"));
        assertThat(AlertmanagerNotifier.endpoint(URI.create("http://am:9093/api/v2/alerts")))
                .isEqualTo(URI.create("http://am:9093/api/v2/alerts"));
    }

    private double failed() {
        return registry.get("vireo.alert.notifications.failed").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }
}
