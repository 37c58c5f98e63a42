package io.vireo.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vireo up} as a newcomer runs it, killed with SIGKILL and started again on the same data directory. */
class UpIT {
    private static final Duration CONVERGE = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

    private VireoProcess up(String name, int apiPort, int agentPort) {
        return VireoProcess.start(
                name,
                List.of(
                        "up",
                        "--data-dir",
                        dataDir.toString(),
                        "--api-port",
                        String.valueOf(apiPort),
                        "--agent-port",
                        String.valueOf(agentPort),
                        "--agents",
                        "2",
                        "--driver",
                        "fake"));
    }

    private ApiClient api(int apiPort) throws IOException {
        return ApiClient.local(dataDir, apiPort);
    }

    private Map<String, JsonNode> vms(ApiClient api) throws IOException, InterruptedException {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode vm : api.vms()) {
            byName.put(vm.get("name").asText(), vm);
        }
        return byName;
    }

    @Test
    void killedUpRestartsOnItsDataAndEveryVmConverges() throws Exception {
        int apiPort = Cluster.freePort();
        int agentPort = Cluster.freePort();
        VireoProcess first = up("up-first", apiPort, agentPort);
        Map<String, String> bootTimes = new HashMap<>();
        try {
            await().atMost(CONVERGE)
                    .ignoreExceptions()
                    .until(() -> api(apiPort).hosts().size() == 2);
            ApiClient api = api(apiPort);
            assertThat(Files.readString(dataDir.resolve("api-url")).trim()).isEqualTo("https://127.0.0.1:" + apiPort);
            for (int i = 0; i < 10; i++) {
                assertThat(api.post(
                                        "/vms",
                                        Map.of("name", "vm-" + i, "flavor", "tiny", "image", "test-guest"),
                                        Map.of())
                                .status())
                        .isEqualTo(202);
            }
            await().atMost(CONVERGE)
                    .until(() -> vms(api).values().stream()
                            .allMatch(vm -> vm.get("state").asText().equals("RUNNING")));
            assertThat(api.post("/vms/vm-0/stop", null, Map.of()).status()).isEqualTo(202);
            await().atMost(CONVERGE)
                    .until(() -> vms(api).get("vm-0").get("state").asText().equals("STOPPED"));
            vms(api).forEach((name, vm) ->
                    bootTimes.put(name, vm.get("startedAt").asText()));
        } finally {
            first.kill9();
        }

        try (VireoProcess second = up("up-second", apiPort, agentPort)) {
            await().atMost(CONVERGE)
                    .ignoreExceptions()
                    .until(() -> api(apiPort).hosts().size() == 2
                            && api(apiPort).hosts().stream()
                                    .allMatch(h -> h.get("state").asText().equals("UP")));
            ApiClient api = api(apiPort);
            await().atMost(CONVERGE).untilAsserted(() -> {
                Map<String, JsonNode> now = vms(api);
                assertThat(now).hasSize(10);
                assertThat(now.get("vm-0").get("state").asText()).isEqualTo("STOPPED");
                for (int i = 1; i < 10; i++) {
                    JsonNode vm = now.get("vm-" + i);
                    assertThat(vm.get("state").asText()).isEqualTo("RUNNING");
                    assertThat(vm.get("startedAt").asText()).isEqualTo(bootTimes.get("vm-" + i));
                }
            });
            assertThat(second.alive()).isTrue();
        }
    }

    /** {@code vireo host drain}: every running VM of one local agent live-migrates to the other, and the drain ends. */
    @Test
    void aDrainedHostIsEmptiedByLiveMigrationAndStaysOutOfPlacement() throws Exception {
        int apiPort = Cluster.freePort();
        try (VireoProcess up = up("up-drain", apiPort, Cluster.freePort())) {
            await().atMost(CONVERGE)
                    .ignoreExceptions()
                    .until(() -> api(apiPort).hosts().size() == 2);
            ApiClient api = api(apiPort);
            for (int i = 0; i < 6; i++) {
                assertThat(api.post(
                                        "/vms",
                                        Map.of("name", "vm-" + i, "flavor", "tiny", "image", "test-guest"),
                                        Map.of())
                                .status())
                        .isEqualTo(202);
            }
            await().atMost(CONVERGE)
                    .until(() -> vms(api).values().stream()
                            .allMatch(vm -> vm.get("state").asText().equals("RUNNING")));
            String drained = vms(api).get("vm-0").get("host").asText();
            String other = drained.equals("local-1") ? "local-2" : "local-1";

            ApiClient.Response started = api.post("/hosts/" + drained + "/drain", null, Map.of());
            assertThat(started.status()).as(started.body().toString()).isEqualTo(202);

            await().atMost(CONVERGE)
                    .until(() -> !api.get("/hosts/" + drained + "/drain")
                            .body()
                            .get("draining")
                            .asBoolean());
            assertThat(vms(api).values()).allSatisfy(vm -> {
                assertThat(vm.get("host").asText()).isEqualTo(other);
                assertThat(vm.get("state").asText()).isEqualTo("RUNNING");
            });
            assertThat(api.get("/hosts/" + drained).body().get("state").asText())
                    .isEqualTo("MAINTENANCE");
            assertThat(api.events().stream().map(event -> event.get("type").asText()))
                    .contains("DrainStarted", "Migrated", "Drained");
            assertThat(up.alive()).isTrue();
        }
    }
}
