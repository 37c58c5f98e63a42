package io.vireo.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.agent.qemu.VmNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live migration through the whole system: {@code vireo up --agents 2 --driver qemu --accel tcg} (server, embedded
 * PostgreSQL and two QEMU agents with their own state directories and the shared image directory), a test-guest VM
 * with a data volume migrated with the REST API while its console counter runs: first, if {@link #KILL_DESTINATION}
 * is set, a migration whose destination QEMU is killed (the VM stays on the source, the destination keeps no file),
 * then one that completes (the volume's file moves and the store records the volume on the new host). As root, each
 * agent plugs its VMs into a bridge in a network namespace of its own, and the VM's network counters come from the
 * destination's tap after the migration.
 */
class LiveMigrationIT {
    /**
     * Runs the failed migration first ({@code -Dvireo.it.killMigrationDestination=true}). Off by default: with QEMU 7.2
     * (Debian 12), a destination killed while the source's disk copy runs over NBD with TLS can leave the source's
     * QEMU without a QMP answer for minutes, its guest frozen; the agent no longer reboots it (a QEMU that does not
     * answer while its process runs is busy), but the guest does not count on either. Timing-dependent: it passed in
     * 7 of 9 runs here.
     */
    private static final String KILL_DESTINATION = "vireo.it.killMigrationDestination";

    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final Duration MIGRATION = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @BeforeAll
    static void requireQemuAndTheTestGuest() {
        QemuUp.requireQemuAndTheTestGuest();
    }

    @Test
    void aRunningVmWithAVolumeStaysAfterAFailedMigrationThenMovesToTheOtherHostAndKeepsCounting() throws Exception {
        int apiPort = Cluster.freePort();
        VireoProcess up = QemuUp.start("migration-up", dataDir, apiPort, Cluster.freePort(), 2);
        String vmId = null;
        try {
            await().atMost(BOOT)
                    .ignoreExceptions()
                    .until(() -> api(apiPort).hosts().size() == 2);
            ApiClient api = api(apiPort);
            ApiClient.Response volume = api.post("/volumes", Map.of("name", "data1", "sizeGib", 1), Map.of());
            assertThat(volume.status()).as(volume.toString()).isEqualTo(201);
            String volumeId = volume.body().get("id").asText();
            JsonNode created = api.post(
                            "/vms",
                            Map.of(
                                    "name",
                                    "mover",
                                    "flavor",
                                    "tiny",
                                    "image",
                                    "test-guest",
                                    "volumes",
                                    List.of("data1")),
                            Map.of())
                    .body();
            vmId = created.get("id").asText();
            await().atMost(BOOT).until(() -> state(api).equals("RUNNING") && lastTick(api) >= 2);
            assertThat(consoleLog(api)).as("the guest sees its volume").contains("disks=vda,vdb");
            String source = vm(api).get("host").asText();
            Path sourceVolume = volumeFile(source, volumeId);
            assertThat(sourceVolume).exists();

            if (Boolean.getBoolean(KILL_DESTINATION)) {
                failAMigration(api, vmId, source, volumeId);
            }

            int tickBefore = lastTick(api);
            ApiClient.Response accepted = api.post("/vms/mover/actions/migrate", Map.of(), Map.of());
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
            String migrationId = accepted.body().get("id").asText();
            JsonNode migration = awaitFinished(api, migrationId);

            assertThat(migration.get("state").asText()).as(migration.toString()).isEqualTo("COMPLETED");
            assertThat(migration.get("sourceHost").asText()).isEqualTo(source);
            String destination = migration.get("destinationHost").asText();
            assertThat(destination).isNotEqualTo(source).startsWith("local-");
            assertThat(vm(api).get("host").asText())
                    .as("the store says the new host")
                    .isEqualTo(destination);
            assertThat(api.get("/volumes/data1").body().get("hostId").asText())
                    .as("the store says the volume's data is on the new host")
                    .isEqualTo(vm(api).get("hostId").asText());
            if (VmNetwork.available()) {
                // The destination's tap is plugged and counted: the guest announces itself after the switchover.
                Instant finished = Instant.parse(migration.get("finishedAt").asText());
                await().atMost(MIGRATION).ignoreExceptions().until(() -> {
                    JsonNode stats = api.get("/vms/mover/stats").body();
                    return Instant.parse(stats.get("sampledAt").asText()).isAfter(finished)
                            && stats.get("network").get("transmittedBytes").asLong() > 0;
                });
            }
            await().atMost(MIGRATION).ignoreExceptions().until(() -> lastTick(api) >= tickBefore + 2);
            assertThat(consoleLog(api)).as("the guest did not boot again").doesNotContain("VIREO-GUEST-READY");
            assertThat(firstTick(api)).as("the counter continues").isGreaterThanOrEqualTo(tickBefore);
            String id = vmId;
            await().atMost(MIGRATION)
                    .until(() -> !Files.exists(vmDirectory(source, id)) && !Files.exists(sourceVolume));
            assertThat(volumeFile(destination, volumeId)).exists();
            assertThat(qemuProcesses(vmId))
                    .as("one QEMU runs the VM: the source's is gone")
                    .hasSize(1);
            assertThat(commandLine(qemuProcesses(vmId).getFirst()))
                    .as("the destination's QEMU runs with the volume's file there")
                    .contains(volumeFile(destination, volumeId).toString());
            await().atMost(MIGRATION)
                    .until(() -> api.get("/vms/mover/migrations/" + migrationId)
                            .body()
                            .get("downtimeMillis")
                            .isNumber());

            assertThat(api.delete("/vms/mover").status()).isEqualTo(202);
            await().atMost(MIGRATION).until(() -> qemuProcesses(id).isEmpty());
        } finally {
            if (vmId != null) {
                QemuUp.killEveryProcessOf(vmId);
            }
            up.close();
        }
    }

    /**
     * Kills the destination's incoming QEMU once it listens and the source copies the disks to it: the migration fails, the VM keeps running on the
     * source with its volume, and the destination keeps none of the files it made.
     */
    private void failAMigration(ApiClient api, String vmId, String source, String volumeId) throws Exception {
        int tickBefore = lastTick(api);
        ApiClient.Response accepted = api.post("/vms/mover/actions/migrate", Map.of(), Map.of());
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String migrationId = accepted.body().get("id").asText();
        String destination = accepted.body().get("destinationHost").asText();
        await().atMost(MIGRATION)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> api.get("/vms/mover/migrations/" + migrationId)
                        .body()
                        .get("state")
                        .asText()
                        .equals("MIGRATING"));
        ProcessHandle incoming = await().atMost(MIGRATION)
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () -> qemuProcesses(vmId).stream()
                                .filter(process -> commandLine(process).contains("incoming"))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        incoming.destroyForcibly();

        JsonNode failed = awaitFinished(api, migrationId);
        assertThat(failed.get("state").asText()).as(failed.toString()).isEqualTo("FAILED");
        assertThat(vm(api).get("host").asText()).isEqualTo(source);
        assertThat(state(api)).isEqualTo("RUNNING");
        await().atMost(MIGRATION).ignoreExceptions().until(() -> lastTick(api) >= tickBefore + 2);
        assertThat(consoleLog(api).split("VIREO-GUEST-READY", -1))
                .as("the guest did not boot again")
                .hasSize(2);
        assertThat(volumeFile(source, volumeId)).exists();
        await().atMost(MIGRATION)
                .until(() -> !Files.exists(vmDirectory(destination, vmId))
                        && !Files.exists(volumeFile(destination, volumeId)));
        assertThat(api.get("/volumes/data1").body().get("host").asText())
                .as("the volume stays on the source")
                .isEqualTo(source);
    }

    private static JsonNode awaitFinished(ApiClient api, String migrationId) {
        return await().atMost(MIGRATION)
                .until(
                        () -> api.get("/vms/mover/migrations/" + migrationId).body(),
                        migration -> migration.get("finishedAt").isTextual());
    }

    private Path vmDirectory(String host, String vmId) {
        return dataDir.resolve("agents").resolve(host).resolve("qemu").resolve(vmId);
    }

    private Path volumeFile(String host, String volumeId) {
        return dataDir.resolve("agents").resolve(host).resolve("volumes").resolve(volumeId + ".qcow2");
    }

    private ApiClient api(int apiPort) throws IOException {
        return ApiClient.local(dataDir, apiPort);
    }

    private static JsonNode vm(ApiClient api) throws IOException, InterruptedException {
        return QemuUp.vm(api, "mover");
    }

    private static String state(ApiClient api) throws IOException, InterruptedException {
        return QemuUp.state(api, "mover");
    }

    private static String consoleLog(ApiClient api) throws IOException, InterruptedException {
        return QemuUp.consoleLog(api, "mover");
    }

    private static int lastTick(ApiClient api) throws IOException, InterruptedException {
        return QemuUp.lastTick(api, "mover");
    }

    private static int firstTick(ApiClient api) throws IOException, InterruptedException {
        return QemuUp.firstTick(api, "mover");
    }

    private static List<ProcessHandle> qemuProcesses(String vmId) {
        return QemuUp.qemuProcesses(vmId);
    }

    private static String commandLine(ProcessHandle process) {
        return QemuUp.commandLine(process);
    }
}
