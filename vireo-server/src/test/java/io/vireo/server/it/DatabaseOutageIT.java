package io.vireo.server.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.store.EmbeddedPostgres;
import io.vireo.store.EmbeddedPostgresSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL crashes under a running control plane: {@code vireo server --db-url} on a PostgreSQL this test runs (and
 * kills with SIGKILL, then starts again on the same cluster and port) and two fake-driver agents, while a client
 * creates VMs. While the database is down the API answers 503, never 500; the server process stays up and carries on
 * once the database is back; every create it accepted reaches RUNNING once, with no duplicate and no host
 * over-allocated.
 */
class DatabaseOutageIT {
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    private static final int COUNT = 120;

    @TempDir
    Path dataDir;

    @TempDir
    Path postgresDir;

    @Test
    void aKilledDatabaseLosesNoAcceptedCreateAndTheServerRidesOverIt() throws Exception {
        EmbeddedPostgresSettings settings = EmbeddedPostgresSettings.of(postgresDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.start(settings);
        try (Cluster cluster = new Cluster(
                dataDir,
                "database-outage",
                List.of(
                        "--db-url",
                        postgres.jdbcUrl(),
                        "--db-user",
                        EmbeddedPostgres.USER,
                        "--db-password-file",
                        postgres.passwordFile().toString()))) {
            cluster.startAgent("host-a");
            cluster.startAgent("host-b");
            ApiClient api = cluster.api();
            await().atMost(CONVERGE).until(() -> api.hosts().size() == 2);
            long serverPid = cluster.server().pid();

            Set<String> accepted = ConcurrentHashMap.newKeySet();
            Map<Integer, Integer> refusals = new ConcurrentHashMap<>();
            Thread burst = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < COUNT; i++) {
                    String name = "outage-" + i;
                    if (createUntilAccepted(api, name, refusals)) {
                        accepted.add(name);
                    }
                }
            });
            await().atMost(CONVERGE).until(() -> accepted.size() >= 30);

            killPostmaster(postgres);
            await("the API notices the outage")
                    .atMost(CONVERGE)
                    .ignoreExceptions()
                    .until(() -> api.get("/vms?limit=1").status() == 503);
            postgres.close();
            postgres = EmbeddedPostgres.start(settings);

            burst.join(CONVERGE.toMillis());
            assertThat(burst.isAlive()).isFalse();
            assertThat(refusals)
                    .as("refusals by status while the database was down")
                    .containsOnlyKeys(503);
            assertThat(accepted).hasSize(COUNT);
            assertThat(cluster.server().alive())
                    .as("the server rode over the outage")
                    .isTrue();
            assertThat(cluster.server().pid()).isEqualTo(serverPid);

            awaitAllRunning(api);
            assertThat(api.vms()).extracting(v -> v.get("name").asText()).doesNotHaveDuplicates();
            long allocatedVcpus = 0;
            for (JsonNode host : api.hosts()) {
                for (String resource : List.of("vcpus", "memoryMib", "diskGib")) {
                    assertThat(host.at("/allocated/" + resource).asLong())
                            .as("%s %s", host.get("name").asText(), resource)
                            .isLessThanOrEqualTo(
                                    host.at("/effectiveCapacity/" + resource).asLong());
                }
                allocatedVcpus += host.at("/allocated/vcpus").asLong();
            }
            assertThat(allocatedVcpus)
                    .as("each VM claimed once (small = 1 vCPU)")
                    .isEqualTo(COUNT);
        } finally {
            postgres.close();
        }
    }

    /**
     * Creates VM {@code name} with one idempotency key until the server answers 202, counting every other answer by
     * status: a create whose answer was lost in the outage is answered 202 again, never made twice.
     */
    private static boolean createUntilAccepted(ApiClient api, String name, Map<Integer, Integer> refusals) {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ApiClient.Response response = api.post(
                        "/vms",
                        Map.of("name", name, "flavor", "small", "image", "test-guest"),
                        Map.of("Idempotency-Key", "key-" + name));
                if (response.status() == 202) {
                    return true;
                }
                refusals.merge(response.status(), 1, Integer::sum);
            } catch (IOException e) {
                refusals.merge(0, 1, Integer::sum); // no answer at all: the server must never drop a request
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        }
        return false;
    }

    /** SIGKILL to the postmaster (its backends end with it): PostgreSQL as a crash or an OOM kill leaves it. */
    private static void killPostmaster(EmbeddedPostgres postgres) throws IOException {
        String pidFile = Files.readString(postgres.dataDirectory().resolve("postmaster.pid"), UTF_8);
        long pid = Long.parseLong(pidFile.lines().findFirst().orElseThrow().strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        postmaster.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !postmaster.isAlive());
    }

    private static void awaitAllRunning(ApiClient api) {
        await(COUNT + " VMs RUNNING")
                .atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Map<String, String> states = new HashMap<>();
                    for (JsonNode vm : api.vms()) {
                        states.put(vm.get("name").asText(), vm.get("state").asText());
                    }
                    assertThat(states).hasSize(COUNT);
                    assertThat(states.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting())))
                            .containsExactly(Map.entry("RUNNING", (long) COUNT));
                });
    }
}
