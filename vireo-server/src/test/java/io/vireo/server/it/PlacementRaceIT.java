package io.vireo.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placement is race-free across server replicas. Two server processes share one PostgreSQL: {@code vireo up} (its
 * embedded PostgreSQL and {@value #HOSTS} fake-driver agents) and {@code vireo server --db-url} pointing at it. Every
 * host holds exactly {@value #VMS_PER_HOST} VMs of the test flavor (disk is the binding resource), so the cluster holds
 * {@value #CAPACITY}. {@value #VMS} VMs are created, requests alternating between the two servers, the first half in
 * hard anti-affinity groups of {@value #GROUP_SIZE} (one member per host), and both servers place them at once.
 *
 * <p>Then exactly {@value #CAPACITY} are placed: the groups ask for {@value #GROUP_SIZE} distinct hosts of
 * {@value #HOSTS} and are created first, while the cluster still has room everywhere, so every grouped VM fits and the
 * ungrouped ones fill the rest. No host is over-allocated, each host's allocation is the sum of its VMs, no group has
 * two members on a host, and every VM left over is in ERROR with the scheduler's explanation.
 */
class PlacementRaceIT {
    private static final int HOSTS = 15;
    private static final int VMS_PER_HOST = 100;
    private static final int CAPACITY = HOSTS * VMS_PER_HOST;
    private static final int VMS = 2_000;
    private static final int GROUP_SIZE = 10;
    private static final int GROUPED_VMS = VMS / 2;
    /**
     * Fake agents report 10,000 GiB of disk; 128 vCPUs (512 at the default ratio 4) and 512 GiB of memory (less the
     * default 512 MiB reserved) leave disk, at ratio 1 with nothing reserved, the binding resource.
     */
    private static final long DISK_GIB = 10_000 / VMS_PER_HOST;

    private static final int CLIENT_THREADS = 8;
    private static final Duration SETTLE = Duration.ofSeconds(90);

    @TempDir
    Path first;

    @TempDir
    Path second;

    @Test
    void twoReplicasPlaceExactlyTheCapacityWithoutBreakingAnyRule() throws Exception {
        int firstApi = Cluster.freePort();
        int secondApi = Cluster.freePort();
        try (VireoProcess up = VireoProcess.start(
                "race-up",
                List.of(
                        "up",
                        "--data-dir",
                        first.toString(),
                        "--api-port",
                        String.valueOf(firstApi),
                        "--agent-port",
                        String.valueOf(Cluster.freePort()),
                        "--agents",
                        String.valueOf(HOSTS),
                        "--driver",
                        "fake"))) {
            ApiClient one = awaitApi(first, firstApi);
            await("all hosts registered")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> one.hosts().size() == HOSTS);
            String postgresPort =
                    Files.readString(first.resolve("postgres.port")).trim();
            try (VireoProcess replica = VireoProcess.start(
                    "race-replica",
                    List.of(
                            "server",
                            "--data-dir",
                            second.toString(),
                            "--api-port",
                            String.valueOf(secondApi),
                            "--agent-port",
                            String.valueOf(Cluster.freePort()),
                            "--db-url",
                            "jdbc:postgresql://127.0.0.1:" + postgresPort + "/vireo",
                            "--db-user",
                            "postgres"))) {
                ApiClient two = awaitApi(second, secondApi);
                race(List.of(one, two));
                check(one);
            }
        }
    }

    private static ApiClient awaitApi(Path dataDir, int port) throws IOException {
        await("API up on " + port)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> Files.exists(dataDir.resolve("admin-token"))
                        && client(dataDir, port).get("/hosts").status() == 200);
        return client(dataDir, port);
    }

    private static ApiClient client(Path dataDir, int port) throws IOException {
        return new ApiClient(
                "http://127.0.0.1:" + port,
                Files.readString(dataDir.resolve("admin-token")).trim());
    }

    /** Creates the flavor, the groups and then the VMs, grouped ones first, alternating between the servers. */
    private static void race(List<ApiClient> servers) throws Exception {
        assertThat(servers.get(0)
                        .post(
                                "/flavors",
                                Map.of("name", "race", "vcpus", 1, "memoryMib", 1024, "diskGib", DISK_GIB),
                                Map.of())
                        .status())
                .isEqualTo(201);
        for (int group = 0; group < GROUPED_VMS / GROUP_SIZE; group++) {
            ApiClient.Response created = servers.get(group % 2)
                    .post("/server-groups", Map.of("name", "g" + group, "policy", "anti-affinity"), Map.of());
            assertThat(created.status()).as("group %d: %s", group, created).isEqualTo(201);
        }
        createAll(servers, 0, GROUPED_VMS);
        createAll(servers, GROUPED_VMS, VMS);
    }

    private static void createAll(List<ApiClient> servers, int from, int to) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        try {
            List<Future<ApiClient.Response>> created = new ArrayList<>();
            for (int i = from; i < to; i++) {
                ApiClient server = servers.get(i % 2);
                Map<String, Object> body =
                        new HashMap<>(Map.of("name", "vm-" + i, "flavor", "race", "image", "test-guest"));
                if (i < GROUPED_VMS) {
                    body.put("serverGroup", "g" + (i / GROUP_SIZE));
                }
                created.add(clients.submit(() -> server.post("/vms", body, Map.of())));
            }
            for (Future<ApiClient.Response> response : created) {
                assertThat(response.get(60, TimeUnit.SECONDS).status()).isEqualTo(202);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static void check(ApiClient api) throws Exception {
        await("every VM placed or refused")
                .atMost(SETTLE)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> api.vms().stream()
                        .noneMatch(vm -> vm.get("state").asText().equals("PENDING")));
        List<JsonNode> vms = api.vms();
        assertThat(vms).hasSize(VMS);
        List<JsonNode> placed =
                vms.stream().filter(vm -> !vm.get("hostId").isNull()).toList();
        List<JsonNode> refused =
                vms.stream().filter(vm -> vm.get("hostId").isNull()).toList();

        assertThat(placed).as("placed VMs").hasSize(CAPACITY);
        assertThat(refused).as("refused VMs").hasSize(VMS - CAPACITY).allSatisfy(vm -> {
            assertThat(vm.get("state").asText()).isEqualTo("ERROR");
            assertThat(vm.get("stateReason").asText()).startsWith("no valid host among " + HOSTS + " hosts");
        });
        assertThat(placed.stream().filter(vm -> !vm.get("serverGroup").isNull()))
                .as("grouped VMs placed")
                .hasSize(GROUPED_VMS);
        assertHostsHoldTheirVms(api, placed);
        assertNoGroupTwiceOnAHost(placed);
    }

    private static void assertHostsHoldTheirVms(ApiClient api, List<JsonNode> placed) throws Exception {
        Map<String, long[]> sums = new HashMap<>();
        for (JsonNode vm : placed) {
            long[] sum = sums.computeIfAbsent(vm.get("hostId").asText(), id -> new long[3]);
            sum[0] += vm.get("vcpus").asLong();
            sum[1] += vm.get("memoryMib").asLong();
            sum[2] += vm.get("diskGib").asLong();
        }
        List<JsonNode> hosts = api.hosts();
        assertThat(hosts).hasSize(HOSTS);
        for (JsonNode host : hosts) {
            long[] sum = sums.getOrDefault(host.get("id").asText(), new long[3]);
            String name = host.get("name").asText();
            List<String> resources = List.of("vcpus", "memoryMib", "diskGib");
            for (int i = 0; i < resources.size(); i++) {
                long allocated = host.at("/allocated/" + resources.get(i)).asLong();
                assertThat(allocated)
                        .as("%s %s allocated = its VMs", name, resources.get(i))
                        .isEqualTo(sum[i]);
                assertThat(allocated)
                        .as("%s %s within effective capacity", name, resources.get(i))
                        .isLessThanOrEqualTo(host.at("/effectiveCapacity/" + resources.get(i))
                                .asLong());
            }
        }
    }

    private static void assertNoGroupTwiceOnAHost(List<JsonNode> placed) {
        Map<String, Integer> membersPerGroupAndHost = new HashMap<>();
        for (JsonNode vm : placed) {
            if (!vm.get("serverGroup").isNull()) {
                membersPerGroupAndHost.merge(
                        vm.get("serverGroup").asText() + "@" + vm.get("hostId").asText(), 1, Integer::sum);
            }
        }
        assertThat(membersPerGroupAndHost).isNotEmpty();
        assertThat(membersPerGroupAndHost.values())
                .as("members of a group on one host")
                .allMatch(count -> count == 1);
    }
}
