package io.vireo.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}, started here on a loopback port with its own
 * configuration and storage) receives Vireo's alerts: the always-firing watchdog; the host-down alert of a host whose
 * agent was killed, within the rule's for-duration + 15 s of the host going down; the same alert, still firing and not
 * resolved, across a restart of the server; and its resolve when the agent is back. In CI a missing
 * {@code prometheus-alertmanager} fails the test.
 */
class AlertmanagerIT {
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    /** The host-down rule's for-duration (AlertSettings.DEFAULTS.hostDownFor()) + the 15 s the issue allows. */
    private static final Duration HOST_DOWN_FIRES_WITHIN = Duration.ofSeconds(30 + 15);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    @TempDir
    Path alertmanagerDir;

    @Test
    void alertmanagerGetsTheWatchdogAndAHostDownAlertThatSurvivesARestartAndResolves() throws Exception {
        assumeThat(onPath("prometheus-alertmanager"))
                .as("prometheus-alertmanager is installed (apt-get install prometheus-alertmanager)")
                .isTrue();
        int alertmanagerPort = Cluster.freePort();
        String alertmanager = "http://127.0.0.1:" + alertmanagerPort;
        Process process = startAlertmanager(alertmanagerPort);
        try (Cluster cluster = new Cluster(dataDir, "alertmanager", List.of("--alertmanager-url", alertmanager))) {
            cluster.startAgent("host-a");
            cluster.startAgent("host-b");
            ApiClient api = cluster.api();
            await().atMost(CONVERGE).until(() -> api.hosts().size() == 2);

            await("the watchdog at Alertmanager")
                    .atMost(CONVERGE)
                    .ignoreExceptions()
                    .until(() -> alert(alertmanager, "Watchdog", null).isPresent());

            cluster.agent("host-a").kill9();
            await().atMost(CONVERGE)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> hostState(api, "host-a").equals("DOWN"));
            Instant downAt = Instant.now();
            assertThat(alert(alertmanager, "VireoHostDown", "host-a")).isEmpty();
            await("host-down at Alertmanager")
                    .atMost(HOST_DOWN_FIRES_WITHIN)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> alert(alertmanager, "VireoHostDown", "host-a").isPresent());
            JsonNode fired = alert(alertmanager, "VireoHostDown", "host-a").orElseThrow();
            assertThat(fired.path("labels").path("severity").asText()).isEqualTo("critical");
            assertThat(fired.path("status").path("state").asText()).isEqualTo("active");
            assertThat(fired.path("annotations").path("summary").asText()).isEqualTo("A host is down or fenced");
            assertThat(fired.path("generatorURL").asText()).endsWith("/api/v1/alerts");
            String startsAt = fired.path("startsAt").asText();
            System.out.println("host-down fired at Alertmanager " + Duration.between(downAt, Instant.now())
                    + " after the host went DOWN");

            JsonNode listed = vireoAlert(api, "VireoHostDown").orElseThrow();
            assertThat(listed.path("state").asText()).isEqualTo("FIRING");
            String firedAt = listed.path("firedAt").asText();

            cluster.killServer();
            cluster.restartServer();
            ApiClient restarted = cluster.api();
            await().atMost(CONVERGE)
                    .ignoreExceptions()
                    .until(() -> vireoAlert(restarted, "Watchdog").isPresent());
            assertThat(vireoAlert(restarted, "VireoHostDown")
                            .orElseThrow()
                            .path("firedAt")
                            .asText())
                    .as("still firing since the same time: the restart resolved nothing")
                    .isEqualTo(firedAt);
            assertThat(alert(alertmanager, "VireoHostDown", "host-a")
                            .orElseThrow()
                            .path("startsAt")
                            .asText())
                    .isEqualTo(startsAt);

            cluster.startAgent("host-a");
            await().atMost(CONVERGE).until(() -> hostState(restarted, "host-a").equals("UP"));
            await("host-down resolved at Alertmanager")
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> alert(alertmanager, "VireoHostDown", "host-a").isEmpty());
            assertThat(vireoAlert(restarted, "VireoHostDown")).isEmpty();
            assertThat(alert(alertmanager, "Watchdog", null)).isPresent();
            List<String> hostDownEvents = new ArrayList<>();
            for (JsonNode event : restarted.events()) {
                if (event.path("objectKind").asText().equals("alert")
                        && event.path("objectName").asText().contains("VireoHostDown")) {
                    hostDownEvents.add(event.path("type").asText());
                }
            }
            assertThat(hostDownEvents)
                    .as("one firing, one resolve: none across the restart")
                    .containsExactly("AlertFiring", "AlertResolved");
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String hostState(ApiClient api, String host) throws Exception {
        return api.get("/hosts/" + host).body().path("state").asText();
    }

    /** The alert of that name (and {@code host} label, if given) in Vireo's list. */
    private static Optional<JsonNode> vireoAlert(ApiClient api, String name) throws Exception {
        ApiClient.Response response = api.get("/alerts");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        for (JsonNode alert : response.body().path("items")) {
            if (alert.path("name").asText().equals(name)) {
                return Optional.of(alert);
            }
        }
        return Optional.empty();
    }

    /** The alert of that name (and {@code host} label, if given) that Alertmanager holds as active. */
    private static Optional<JsonNode> alert(
            String alertmanager, String name, @org.jspecify.annotations.Nullable String host) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(alertmanager + "/api/v2/alerts"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (JsonNode alert : JSON.readTree(response.body())) {
            JsonNode labels = alert.path("labels");
            if (labels.path("alertname").asText().equals(name)
                    && (host == null || labels.path("host").asText().equals(host))) {
                return Optional.of(alert);
            }
        }
        return Optional.empty();
    }

    private Process startAlertmanager(int port) throws IOException {
        Path config = Files.writeString(alertmanagerDir.resolve("alertmanager.yml"), """
                route:
                  receiver: nobody
                  group_wait: 1s
                  group_interval: 1s
                receivers:
                  - name: nobody
                """);
        Path log = Path.of("target", "it-logs", "alertmanager.log");
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(
                        "prometheus-alertmanager",
                        "--config.file=" + config,
                        "--storage.path=" + alertmanagerDir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address=")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private static boolean onPath(String command) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }
}
