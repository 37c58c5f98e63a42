package io.vireo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.cli.FakeVireoServer.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostJoinTokenCommandTest {
    private static final String TOKEN =
            "vireo-join-v1." + "ab".repeat(32) + ".c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I";
    private static final String CREATED = """
            {"id":"7f0c1a2e-0000-4000-8000-000000000001","token":"%s","caFingerprint":"%s",\
            "createdAt":"2026-11-27T10:00:00Z","expiresAt":"2026-11-27T11:00:00Z","hostId":null}""".formatted(TOKEN, "ab".repeat(32));

    @TempDir
    Path home;

    private FakeVireoServer server;
    private CliRunner cli;

    @BeforeEach
    void setUp() {
        server = FakeVireoServer.start();
        cli = new CliRunner(home).env("VIREO_URL", server.url());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void createPrintsTheTokenOnceWithItsExpiry() throws Exception {
        server.on("POST", "/hosts/join-tokens", request -> new Reply(201, CREATED));

        CliRunner.Result result = cli.run("host", "join-token", "create", "--expires", "1h");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Token:").contains(TOKEN).contains("2026-11-27T11:00:00Z");
        JsonNode body = new ObjectMapper().readTree(server.requests().getLast().body());
        assertThat(body.path("expiresInSeconds").asLong()).isEqualTo(3600);
        assertThat(body.has("host")).isFalse();
    }

    @Test
    void createForAnExistingHostNamesIt() throws Exception {
        server.on("POST", "/hosts/join-tokens", request -> new Reply(201, CREATED));

        CliRunner.Result result = cli.run("host", "join-token", "create", "--host", "node-1", "-o", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(new ObjectMapper().readTree(result.out()).path("token").asText())
                .isEqualTo(TOKEN);
        JsonNode body = new ObjectMapper().readTree(server.requests().getLast().body());
        assertThat(body.path("host").asText()).isEqualTo("node-1");
        assertThat(body.has("expiresInSeconds")).isFalse();
    }
}
