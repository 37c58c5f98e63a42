package io.vireo.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vireo.server.tls.ServerAuthority;
import io.vireo.store.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity across two server replicas on one PostgreSQL ({@code vireo up} and {@code vireo server --db-url}): the
 * built-in admin logs in with the password {@code vireo up} wrote, makes a project and a member; the member's token,
 * made through one replica, works on the other; revoked through one, it is refused by the other on the very next
 * request; and the admin-token files keep working.
 */
class IdentityReplicasIT {
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path first;

    @TempDir
    Path second;

    @Test
    void aTokenRevokedThroughOneReplicaIsRefusedByTheOtherAtOnce() throws Exception {
        int firstApi = Cluster.freePort();
        int secondApi = Cluster.freePort();
        try (VireoProcess up = VireoProcess.start(
                "identity-up",
                List.of(
                        "up",
                        "--data-dir",
                        first.toString(),
                        "--api-port",
                        String.valueOf(firstApi),
                        "--agent-port",
                        String.valueOf(Cluster.freePort()),
                        "--agents",
                        "1",
                        "--driver",
                        "fake"))) {
            ApiClient oneAsAdminFile = awaitApi(first, firstApi);
            // as an operator adds a replica: it needs the key that opens the agents' CA key (ADR 15)
            Files.copy(
                    first.resolve(ServerAuthority.KEY_ENCRYPTION_KEY_FILE),
                    second.resolve(ServerAuthority.KEY_ENCRYPTION_KEY_FILE));
            try (VireoProcess replica = VireoProcess.start(
                    "identity-replica",
                    List.of(
                            "server",
                            "--data-dir",
                            second.toString(),
                            "--api-port",
                            String.valueOf(secondApi),
                            "--agent-port",
                            String.valueOf(Cluster.freePort()),
                            "--db-url",
                            EmbeddedPostgres.jdbcUrl(EmbeddedPostgres.socketFile(first), EmbeddedPostgres.DATABASE),
                            "--db-user",
                            EmbeddedPostgres.USER,
                            "--db-password-file",
                            first.resolve(EmbeddedPostgres.PASSWORD_FILE).toString()))) {
                ApiClient twoAsAdminFile = awaitApi(second, secondApi);
                // both replicas' API certificates come from the one CA of the cloud
                Path ca = first.resolve("api-ca.pem");
                String oneUrl = "https://127.0.0.1:" + firstApi;
                String twoUrl = "https://127.0.0.1:" + secondApi;

                String adminPassword =
                        Files.readString(first.resolve("admin-password")).trim();
                assertThat(Files.getPosixFilePermissions(first.resolve("admin-password"))
                                .toString())
                        .isEqualTo("[OWNER_READ, OWNER_WRITE]");
                ApiClient admin = new ApiClient(twoUrl, login(twoUrl, ca, "admin", adminPassword), ca);
                assertThat(admin.post("/projects", Map.of("name", "alpha"), Map.of())
                                .status())
                        .isEqualTo(201);
                assertThat(admin.post(
                                        "/users",
                                        Map.of(
                                                "name",
                                                "ann",
                                                "role",
                                                "member",
                                                "project",
                                                "alpha",
                                                "password",
                                                PASSWORD),
                                        Map.of())
                                .status())
                        .isEqualTo(201);

                String annToken = login(twoUrl, ca, "ann", PASSWORD);
                ApiClient annOnOne = new ApiClient(oneUrl, annToken, ca);
                ApiClient annOnTwo = new ApiClient(twoUrl, annToken, ca);
                assertThat(annOnOne.get("/hosts").status()).isEqualTo(200);
                assertThat(annOnOne.get("/vms").status()).isEqualTo(200);
                assertThat(annOnOne.post(
                                        "/flavors",
                                        Map.of("name", "f", "vcpus", 1, "memoryMib", 64, "diskGib", 1),
                                        Map.of())
                                .status())
                        .isEqualTo(403);
                String tokenId = annOnTwo.get("/tokens")
                        .body()
                        .path("items")
                        .get(0)
                        .path("id")
                        .asText();

                assertThat(annOnTwo.post("/tokens/" + tokenId + "/revoke", null, Map.of())
                                .status())
                        .isEqualTo(204);

                assertThat(annOnOne.get("/vms").status()).isEqualTo(401);
                assertThat(annOnTwo.get("/vms").status()).isEqualTo(401);
                assertThat(oneAsAdminFile
                                .get("/auth/caller")
                                .body()
                                .path("role")
                                .asText())
                        .isEqualTo("admin");
                assertThat(twoAsAdminFile.get("/vms").status()).isEqualTo(200);
            }
        }
    }

    private static String login(String url, Path ca, String user, String password) throws Exception {
        ApiClient.Response response = new ApiClient(url, "none", ca)
                .post("/auth/tokens", Map.of("user", user, "password", password), Map.of());
        assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
        return response.body().path("token").asText();
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
        return ApiClient.local(dataDir, port);
    }
}
