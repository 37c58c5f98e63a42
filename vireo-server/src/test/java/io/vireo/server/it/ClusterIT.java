package io.vireo.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end over real processes: embedded PostgreSQL + server + fake-driver agents over gRPC on loopback. */
class ClusterIT {
    private static final Duration CONVERGE = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

    private static Map<String, Object> vm(String name) {
        return Map.of("name", name, "flavor", "small", "image", "test-guest");
    }

    private static Map<String, String> states(ApiClient api) throws IOException, InterruptedException {
        Map<String, String> states = new HashMap<>();
        for (JsonNode vm : api.vms()) {
            states.put(vm.get("name").asText(), vm.get("state").asText());
        }
        return states;
    }

    private static void assertNoHostOverAllocated(ApiClient api) throws IOException, InterruptedException {
        for (JsonNode host : api.hosts()) {
            for (String resource : List.of("vcpus", "memoryMib", "diskGib")) {
                assertThat(host.at("/allocated/" + resource).asLong())
                        .as("%s %s", host.get("name").asText(), resource)
                        .isLessThanOrEqualTo(
                                host.at("/effectiveCapacity/" + resource).asLong());
            }
        }
    }

    private static void awaitAll(ApiClient api, int count, String state) {
        await(count + " VMs " + state)
                .atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Map<String, String> states = states(api);
                    assertThat(states).hasSize(count);
                    assertThat(states.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting())))
                            .containsExactly(Map.entry(state, (long) count));
                });
    }

    @Test
    void threeHundredVmsOnThreeAgentsRunAndObeyActions() throws Exception {
        try (Cluster cluster = new Cluster(dataDir, "three-hundred")) {
            for (String name : List.of("host-a", "host-b", "host-c")) {
                cluster.startAgent(name);
            }
            ApiClient api = cluster.api();
            await().atMost(CONVERGE).until(() -> api.hosts().size() == 3);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<ApiClient.Response>> creates = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    String name = "vm-" + i;
                    creates.add(pool.submit(() -> api.post("/vms", vm(name), Map.of())));
                }
                for (Future<ApiClient.Response> create : creates) {
                    assertThat(create.get().status()).isEqualTo(202);
                }
            } finally {
                pool.shutdownNow();
            }
            awaitAll(api, 300, "RUNNING");
            assertNoHostOverAllocated(api);
            assertThat(api.vms().stream().map(v -> v.get("host").asText()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("host-a", "host-b", "host-c");

            assertThat(api.post("/vms/vm-1/stop", null, Map.of()).status()).isEqualTo(202);
            await().atMost(CONVERGE).until(() -> states(api).get("vm-1").equals("STOPPED"));
            assertThat(api.post("/vms/vm-1/start", null, Map.of()).status()).isEqualTo(202);
            await().atMost(CONVERGE).until(() -> states(api).get("vm-1").equals("RUNNING"));
            ApiClient.Response console = api.get("/vms/vm-1/console?offset=-4096&limit=4096");
            assertThat(console.status()).isEqualTo(200);
            assertThat(console.body().get("data").asText()).contains("fake console: booted at ");
            assertThat(console.body().get("nextOffset").asLong())
                    .isEqualTo(console.body().get("size").asLong());
            String bootedAt = api.get("/vms/vm-2").body().get("startedAt").asText();
            assertThat(api.post("/vms/vm-2/reboot", null, Map.of()).status()).isEqualTo(202);
            await().atMost(CONVERGE).until(() -> {
                JsonNode vm2 = api.get("/vms/vm-2").body();
                return vm2.get("state").asText().equals("RUNNING")
                        && !vm2.get("startedAt").asText().equals(bootedAt);
            });
            assertThat(api.post("/vms/vm-3/pause", null, Map.of()).status()).isEqualTo(202);
            await().atMost(CONVERGE).until(() -> states(api).get("vm-3").equals("PAUSED"));
            assertThat(api.post("/vms/vm-3/start", null, Map.of()).status()).isEqualTo(409);
            assertThat(api.post("/vms/vm-3/resume", null, Map.of()).status()).isEqualTo(202);
            await().atMost(CONVERGE).until(() -> states(api).get("vm-3").equals("RUNNING"));
            await().atMost(CONVERGE).until(() -> api.get("/vms/vm-5/stats").status() == 200);
            JsonNode stats = api.get("/vms/vm-5/stats").body();
            assertThat(stats.get("synthetic").asBoolean()).as("fake driver").isTrue();
            assertThat(stats.at("/cpu/vcpus").asInt()).isEqualTo(1);
            assertThat(stats.at("/memory/guestBytes").asLong()).isPositive();
            assertThat(stats.get("network").isNull()).isTrue();

            for (int i = 0; i < 300; i += 2) {
                assertThat(api.delete("/vms/vm-" + i).status()).isEqualTo(202);
            }
            awaitAll(api, 150, "RUNNING");
            long allocatedVcpus = 0;
            for (JsonNode host : api.hosts()) {
                allocatedVcpus += host.at("/allocated/vcpus").asLong();
            }
            assertThat(allocatedVcpus).isEqualTo(150); // small = 1 vCPU: exactly the survivors are allocated
        }
    }

    @Test
    void killedServerLosesNoAcceptedCreateAndMakesNoDuplicate() throws Exception {
        try (Cluster cluster = new Cluster(dataDir, "server-crash")) {
            cluster.startAgent("host-a");
            cluster.startAgent("host-b");
            ApiClient api = cluster.api();
            await().atMost(CONVERGE).until(() -> api.hosts().size() == 2);

            int count = 120;
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            Thread burst = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < count; i++) {
                    String name = "burst-" + i;
                    retryUntilAccepted(cluster, name, "key-" + name);
                    accepted.add(name);
                }
            });
            await().atMost(CONVERGE).until(() -> accepted.size() >= 30);
            cluster.killServer();
            cluster.restartServer();
            burst.join(CONVERGE.toMillis());
            assertThat(accepted).hasSize(count);

            ApiClient after = cluster.api();
            awaitAll(after, count, "RUNNING");
            assertThat(after.vms()).extracting(v -> v.get("name").asText()).doesNotHaveDuplicates();
            assertNoHostOverAllocated(after);
        }
    }

    /** Creates with one idempotency key until the server answers 202, riding over its crash and restart. */
    private static void retryUntilAccepted(Cluster cluster, String name, String key) {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ApiClient.Response response = cluster.api().post("/vms", vm(name), Map.of("Idempotency-Key", key));
                if (response.status() == 202) {
                    return;
                }
                throw new AssertionError("create " + name + " answered " + response);
            } catch (IOException e) {
                await().pollDelay(Duration.ofMillis(200)).until(() -> true); // the server is down: wait, then retry
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("create " + name + " was never accepted");
    }

    @Test
    void anEvacuatedHostsVmsAreRestartedElsewhereByTheirHaPolicy() throws Exception {
        try (Cluster cluster = new Cluster(dataDir, "evacuate")) {
            cluster.startAgent("host-a");
            ApiClient api = cluster.api();
            await().atMost(CONVERGE).until(() -> api.hosts().size() == 1);
            Map<String, Object> fromImage = new HashMap<>(vm("db"));
            fromImage.put("ha", Map.of("policy", "restart-from-image", "priority", 10));
            Map<String, Object> none = new HashMap<>(vm("batch"));
            none.put("ha", Map.of("policy", "none"));
            assertThat(api.post("/vms", fromImage, Map.of()).status()).isEqualTo(202);
            assertThat(api.post("/vms", none, Map.of()).status()).isEqualTo(202);
            awaitAll(api, 2, "RUNNING");
            cluster.startAgent("host-b");
            await().atMost(CONVERGE).until(() -> api.hosts().size() == 2);

            assertThat(api.post("/hosts/host-a/evacuate", null, Map.of()).status())
                    .as("refused while its agent is heard")
                    .isEqualTo(409);
            cluster.agent("host-a").kill9(); // the fake driver's VMs end with their agent's process, as with a host
            await().atMost(CONVERGE)
                    .until(() -> api.get("/hosts/host-a")
                            .body()
                            .get("state")
                            .asText()
                            .equals("DOWN"));
            ApiClient.Response evacuated = api.post("/hosts/host-a/evacuate", null, Map.of());
            assertThat(evacuated.status()).as(evacuated.body().toString()).isEqualTo(200);
            assertThat(evacuated.body().get("state").asText()).isEqualTo("FENCED");

            await("db restarted on host-b").atMost(CONVERGE).untilAsserted(() -> {
                JsonNode db = api.get("/vms/db").body();
                assertThat(db.get("state").asText()).isEqualTo("RUNNING");
                assertThat(db.get("host").asText()).isEqualTo("host-b");
            });
            JsonNode batch = api.get("/vms/batch").body();
            assertThat(batch.get("state").asText()).isEqualTo("ERROR");
            assertThat(batch.get("host").asText()).isEqualTo("host-a");
            assertThat(batch.get("stateReason").asText()).contains("HA policy is none");
            assertThat(api.events().stream().map(event -> event.get("type").asText()))
                    .contains("HaRestart", "HostLost");
        }
    }

    @Test
    void aDeletedHostsAgentIsRefusedForGoodAndTheHostIsGone() throws Exception {
        try (Cluster cluster = new Cluster(dataDir, "delete-host")) {
            VireoProcess agent = cluster.startAgent("host-a");
            ApiClient api = cluster.api();
            await().atMost(CONVERGE).until(() -> api.hosts().size() == 1);
            String oldId = api.hosts().getFirst().get("id").asText();
            assertThat(api.post("/vms", vm("web"), Map.of()).status()).isEqualTo(202);
            awaitAll(api, 1, "RUNNING");
            assertThat(api.send("PUT", "/hosts/host-a/maintenance", null, Map.of())
                            .status())
                    .isEqualTo(200);

            ApiClient.Response refused = api.delete("/hosts/host-a");
            assertThat(refused.status()).as(refused.body().toString()).isEqualTo(409);
            assertThat(refused.body().at("/error/message").asText())
                    .contains("1 VM placed on it (web)", "vireo host drain host-a");
            assertThat(agent.alive())
                    .as("a refused deletion leaves the agent alone")
                    .isTrue();

            assertThat(api.delete("/vms/web").status()).isEqualTo(202);
            await("web deleted").atMost(CONVERGE).until(() -> api.vms().isEmpty());
            ApiClient.Response deleted = api.delete("/hosts/host-a");
            assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(204);

            await("the agent refused and gone").atMost(CONVERGE).until(() -> !agent.alive());
            assertThat(api.hosts()).isEmpty();
            assertThat(api.get("/hosts/host-a").status()).isEqualTo(404);
            assertThat(api.delete("/hosts/host-a").status()).isEqualTo(404);
            assertThat(api.events().stream().map(event -> event.get("type").asText()))
                    .contains("HostDeleted");
        }
    }

    @Test
    void restartedAgentReReportsItsVmsWithoutRecreatingThem() throws Exception {
        try (Cluster cluster = new Cluster(dataDir, "agent-crash")) {
            cluster.startAgent("host-a");
            ApiClient api = cluster.api();
            await().atMost(CONVERGE).until(() -> api.hosts().size() == 1);
            for (int i = 0; i < 20; i++) {
                assertThat(api.post("/vms", vm("vm-" + i), Map.of()).status()).isEqualTo(202);
            }
            awaitAll(api, 20, "RUNNING");
            Map<String, String> bootTimes = new HashMap<>();
            for (JsonNode vm : api.vms()) {
                bootTimes.put(vm.get("name").asText(), vm.get("startedAt").asText());
            }

            cluster.agent("host-a").kill9();
            await().atMost(CONVERGE)
                    .until(() -> api.hosts().getFirst().get("state").asText().equals("DOWN"));
            cluster.startAgent("host-a", List.of("--reserved-memory-mib", "4096", "--reserved-disk-gib", "0"));
            await().atMost(CONVERGE)
                    .until(() -> api.hosts().getFirst().get("state").asText().equals("UP"));
            JsonNode host = api.hosts().getFirst();
            assertThat(host.get("agentReserved").toString())
                    .as("the reservation the agent reports reaches the store")
                    .isEqualTo("{\"vcpus\":null,\"memoryMib\":4096,\"diskGib\":0}");
            assertThat(host.get("capacityPolicy")
                            .get("reserved")
                            .get("memoryMib")
                            .asLong())
                    .as("in place of the server's default 512 MiB")
                    .isEqualTo(4096);
            assertThat(host.get("capacityPolicy").get("reservedBy").toString())
                    .isEqualTo("{\"vcpus\":\"server\",\"memoryMib\":\"agent\",\"diskGib\":\"agent\"}");

            awaitAll(api, 20, "RUNNING");
            for (JsonNode vm : api.vms()) {
                assertThat(vm.get("startedAt").asText())
                        .as("%s keeps its boot time", vm.get("name").asText())
                        .isEqualTo(bootTimes.get(vm.get("name").asText()));
            }
        }
    }
}
