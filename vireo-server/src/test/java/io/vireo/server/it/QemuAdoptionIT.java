package io.vireo.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crashed control plane stops no guest (ADR 19's G2), and nothing runs twice (G1): {@code vireo up} with a QEMU
 * agent is killed with SIGKILL (server, agent and fence guard at once) while a real guest counts on its console; the
 * guest's QEMU runs on; {@code vireo up} started again on the same data adopts it: the same process, the counter
 * continuing, no second boot, no HA restart.
 */
class QemuAdoptionIT {
    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    @BeforeAll
    static void requireQemuAndTheTestGuest() {
        QemuUp.requireQemuAndTheTestGuest();
    }

    @Test
    void aKilledControlPlaneLeavesItsGuestRunningAndTheRestartedOneAdoptsIt() throws Exception {
        int apiPort = Cluster.freePort();
        int agentPort = Cluster.freePort();
        String vmId = null;
        try {
            long qemu;
            String startedAt;
            int tickBefore;
            try (VireoProcess first = QemuUp.start("adoption-up-first", dataDir, apiPort, agentPort, 1)) {
                await().atMost(BOOT)
                        .ignoreExceptions()
                        .until(() -> api(apiPort).hosts().size() == 1);
                ApiClient api = api(apiPort);
                JsonNode created = api.post(
                                "/vms", Map.of("name", "keeper", "flavor", "tiny", "image", "test-guest"), Map.of())
                        .body();
                vmId = created.get("id").asText();
                await().atMost(BOOT)
                        .until(() ->
                                QemuUp.state(api, "keeper").equals("RUNNING") && QemuUp.lastTick(api, "keeper") >= 2);
                List<ProcessHandle> running = QemuUp.qemuProcesses(vmId);
                assertThat(running).hasSize(1);
                qemu = running.getFirst().pid();
                startedAt = QemuUp.vm(api, "keeper").get("startedAt").asText();
                tickBefore = QemuUp.lastTick(api, "keeper");

                first.kill9();
            }

            String id = vmId;
            await("the guest runs on with no control plane")
                    .during(OUTAGE)
                    .atMost(OUTAGE.plusSeconds(5))
                    .until(() ->
                            ProcessHandle.of(qemu).map(ProcessHandle::isAlive).orElse(false)
                                    && QemuUp.qemuProcesses(id).size() == 1);

            try (VireoProcess second = QemuUp.start("adoption-up-second", dataDir, apiPort, agentPort, 1)) {
                await().atMost(BOOT)
                        .ignoreExceptions()
                        .until(() -> api(apiPort)
                                .hosts()
                                .getFirst()
                                .get("state")
                                .asText()
                                .equals("UP"));
                ApiClient api = api(apiPort);
                await().atMost(BOOT)
                        .ignoreExceptions()
                        .until(() -> QemuUp.state(api, "keeper").equals("RUNNING")
                                && QemuUp.lastTick(api, "keeper") >= tickBefore + OUTAGE.toSeconds());
                assertThat(QemuUp.qemuProcesses(id))
                        .as("the same QEMU, adopted; no second one")
                        .extracting(ProcessHandle::pid)
                        .containsExactly(qemu);
                assertThat(QemuUp.vm(api, "keeper").get("startedAt").asText())
                        .as("not started again")
                        .isEqualTo(startedAt);
                assertThat(QemuUp.consoleLog(api, "keeper").split("VIREO-GUEST-READY", -1))
                        .as("the guest booted once")
                        .hasSize(2);
                assertThat(QemuUp.firstTick(api, "keeper")).isLessThanOrEqualTo(tickBefore);
                assertThat(eventTypes(api)).doesNotContain("HaRestart", "HostLost");
                assertThat(second.alive()).isTrue();

                assertThat(api.delete("/vms/keeper").status()).isEqualTo(202);
                await().atMost(BOOT).until(() -> QemuUp.qemuProcesses(id).isEmpty());
            }
        } finally {
            if (vmId != null) {
                QemuUp.killEveryProcessOf(vmId);
            }
        }
    }

    private static List<String> eventTypes(ApiClient api) throws IOException, InterruptedException {
        return api.events().stream().map(event -> event.get("type").asText()).toList();
    }

    private ApiClient api(int apiPort) throws IOException {
        return ApiClient.local(dataDir, apiPort);
    }
}
