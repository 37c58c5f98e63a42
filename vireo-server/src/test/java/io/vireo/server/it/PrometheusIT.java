package io.vireo.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus}, started here on a loopback port with its own configuration and
 * storage) scrapes a running {@code vireo up}: the server's {@code /metrics} with a reader service account's token of
 * the admin project, and the agents found through the server's HTTP service discovery with the metrics token. The
 * targets come up, {@code promtool check metrics} finds nothing to say about either exposition, and Prometheus's
 * count of VMs by state is what Vireo's API lists. In CI a missing {@code prometheus} fails the test.
 */
class PrometheusIT {
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    @TempDir
    Path prometheusDir;

    @Test
    void prometheusScrapesTheServerAndTheAgentsAndCountsTheVmsVireoLists() throws Exception {
        assumeThat(onPath("prometheus"))
                .as("prometheus is installed (apt-get install prometheus)")
                .isTrue();
        assumeThat(onPath("promtool"))
                .as("promtool is installed (apt-get install prometheus)")
                .isTrue();
        int apiPort = Cluster.freePort();
        String api = "https://127.0.0.1:" + apiPort;
        try (VireoProcess up = VireoProcess.start(
                "prometheus-up",
                List.of(
                        "up",
                        "--data-dir",
                        dataDir.toString(),
                        "--api-port",
                        String.valueOf(apiPort),
                        "--agent-port",
                        String.valueOf(Cluster.freePort()),
                        "--agents",
                        "2",
                        "--driver",
                        "fake"))) {
            await().atMost(CONVERGE)
                    .ignoreExceptions()
                    .until(() -> admin(apiPort).hosts().size() == 2);
            ApiClient admin = admin(apiPort);
            makeVms(admin);
            String scraperToken = readerToken(admin);
            Path serverToken = write(prometheusDir.resolve("server-token"), scraperToken);
            Path agentToken = dataDir.resolve("metrics-token");

            assertThat(get(api + "/metrics", null, null).statusCode()).isEqualTo(401);
            HttpResponse<String> openMetrics = get(api + "/metrics", scraperToken, "application/openmetrics-text");
            assertThat(openMetrics.statusCode()).isEqualTo(200);
            assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/openmetrics-text");
            await().atMost(CONVERGE).until(() -> targets(api, scraperToken).size() == 2);

            int prometheusPort = Cluster.freePort();
            Process prometheus =
                    startPrometheus(apiPort, prometheusPort, serverToken, agentToken, dataDir.resolve("api-ca.pem"));
            try {
                String prometheusUrl = "http://127.0.0.1:" + prometheusPort;
                await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> {
                    JsonNode active = getJson(prometheusUrl + "/api/v1/targets", null)
                            .get("data")
                            .get("activeTargets");
                    assertThat(active).hasSize(3);
                    active.forEach(target -> assertThat(target.get("health").asText())
                            .as(target.toString())
                            .isEqualTo("up"));
                });

                assertThat(promtoolCheck(
                                get(api + "/metrics", scraperToken, null).body()))
                        .isEmpty();
                JsonNode agentTarget = targets(api, scraperToken).get(0);
                String agentMetrics = get(
                                "http://" + agentTarget.get("targets").get(0).asText() + "/metrics",
                                Files.readString(agentToken).strip(),
                                null)
                        .body();
                assertThat(agentMetrics).contains("vireo_vm_cpu_seconds_total{");
                assertThat(promtoolCheck(agentMetrics)).isEmpty();

                Map<String, Integer> listed = vmsByState(admin);
                await().atMost(CONVERGE)
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(queried(prometheusUrl, "vireo_vms > 0"))
                                .isEqualTo(listed));
                await().atMost(CONVERGE)
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(queried(prometheusUrl, "count(vireo_vm_cpu_seconds_total)"))
                                .isEqualTo(Map.of("", listed.get("RUNNING"))));
            } finally {
                prometheus.destroy();
                prometheus.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private ApiClient admin(int apiPort) {
        return ApiClient.local(dataDir, apiPort);
    }

    /** Three VMs: two running, one stopped. */
    private static void makeVms(ApiClient admin) throws Exception {
        for (String name : List.of("web-1", "web-2", "web-3")) {
            assertThat(admin.post("/vms", Map.of("name", name, "flavor", "tiny", "image", "test-guest"), Map.of())
                            .status())
                    .isEqualTo(202);
        }
        await().atMost(CONVERGE).until(() -> vmsByState(admin).equals(Map.of("RUNNING", 3)));
        assertThat(admin.post("/vms/web-3/stop", null, Map.of()).status()).isEqualTo(202);
        await().atMost(CONVERGE).until(() -> vmsByState(admin).equals(Map.of("RUNNING", 2, "STOPPED", 1)));
    }

    private static Map<String, Integer> vmsByState(ApiClient admin) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode vm : admin.vms()) {
            counts.merge(vm.get("state").asText(), 1, Integer::sum);
        }
        return counts;
    }

    /** A reader service account of the admin project, and a token of it: Prometheus's credential. */
    private static String readerToken(ApiClient admin) throws Exception {
        ApiClient.Response user =
                admin.post("/users", Map.of("name", "prometheus", "role", "reader", "serviceAccount", true), Map.of());
        assertThat(user.status()).as(user.toString()).isEqualTo(201);
        ApiClient.Response token =
                admin.post("/tokens", Map.of("user", "prometheus", "description", "scrapes"), Map.of());
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        return token.body().get("token").asText();
    }

    private JsonNode targets(String api, String token) throws Exception {
        return getJson(api + "/api/v1/metrics/targets", token);
    }

    private Process startPrometheus(int apiPort, int prometheusPort, Path serverToken, Path agentToken, Path apiCa)
            throws IOException {
        String config = """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: vireo-server
                    metrics_path: /metrics
                    scheme: https
                    tls_config:
                      ca_file: %4$s
                    authorization:
                      credentials_file: %2$s
                    static_configs:
                      - targets: ['127.0.0.1:%1$d']
                  - job_name: vireo-agents
                    authorization:
                      credentials_file: %3$s
                    http_sd_configs:
                      - url: https://127.0.0.1:%1$d/api/v1/metrics/targets
                        refresh_interval: 1s
                        tls_config:
                          ca_file: %4$s
                        # Prometheus 2.42 leaves out the type here (the header would lack "Bearer") unless it is named
                        authorization:
                          type: Bearer
                          credentials_file: %2$s
                    relabel_configs:
                      - source_labels: [__meta_vireo_host_id]
                        target_label: host_id
                      - source_labels: [__meta_vireo_host_name]
                        target_label: host_name
                """.formatted(apiPort, serverToken, agentToken, apiCa);
        Path configFile = write(prometheusDir.resolve("prometheus.yml"), config);
        Path log = Path.of("target", "it-logs", "prometheus.log");
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + configFile,
                        "--storage.tsdb.path=" + prometheusDir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** The value of each series of an instant query, by its {@code state} label ("" without one). */
    private Map<String, Integer> queried(String prometheusUrl, String query) throws Exception {
        JsonNode result = getJson(
                        prometheusUrl + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8), null)
                .get("data")
                .get("result");
        Map<String, Integer> values = new HashMap<>();
        result.forEach(series -> values.put(series.get("metric").path("state").asText(""), (int)
                Double.parseDouble(series.get("value").get(1).asText())));
        return values;
    }

    /** What {@code promtool check metrics} says of an exposition: empty when it is clean. */
    private static String promtoolCheck(String exposition) throws Exception {
        Process promtool = new ProcessBuilder("promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (var in = promtool.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return promtool.exitValue() == 0 ? output.strip() : "exit " + promtool.exitValue() + ": " + output;
    }

    private HttpResponse<String> get(String url, @Nullable String token, @Nullable String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpClient client = url.startsWith("https://") ? apiHttp() : HTTP;
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String url, @Nullable String token) throws Exception {
        HttpResponse<String> response = get(url, token, null);
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A client that trusts the CA the server wrote into its data directory (the API serves HTTPS). */
    private HttpClient apiHttp() throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(
                null,
                io.vireo.pki.TrustManagers.trusting(io.vireo.pki.Pem.certificates(
                                Files.readString(dataDir.resolve("api-ca.pem"), StandardCharsets.US_ASCII))
                        .get(0)),
                null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    private static Path write(Path file, String content) throws IOException {
        return Files.writeString(file, content);
    }

    private static boolean onPath(String command) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }
}
