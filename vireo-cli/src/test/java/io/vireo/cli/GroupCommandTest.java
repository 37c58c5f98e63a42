package io.vireo.cli;

import static io.vireo.cli.Fixtures.page;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.cli.FakeVireoServer.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code group} and the placement options of {@code vm create}. */
class GroupCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = """
            {"id":"g1","name":"web","project":"p1","policy":"anti-affinity","maxPerHost":2,\
            "members":["web-1","web-2"],"createdAt":"2026-11-27T07:00:00Z"}""";
    private static final String VM = """
            {"id":"v1","name":"web-1","state":"PENDING","serverGroup":"web","availabilityZone":"zone-a",\
            "traits":["cpu.avx2","!storage.ssd"],"createdAt":"2026-11-27T07:00:00Z"}""";

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
    void createSendsThePolicyAndMaxPerHost() throws Exception {
        server.replies("POST", "/server-groups", new Reply(201, GROUP));

        CliRunner.Result result = cli.run("group", "create", "web", "--policy", "anti-affinity", "--max-per-host", "2");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("web    anti-affinity   2");
        JsonNode body = JSON.readTree(
                server.requests("POST", "/server-groups").getFirst().body());
        assertThat(body.path("name").asText()).isEqualTo("web");
        assertThat(body.path("policy").asText()).isEqualTo("anti-affinity");
        assertThat(body.path("maxPerHost").asInt()).isEqualTo(2);
    }

    @Test
    void listShowAndDelete() {
        server.replies("GET", "/server-groups", Reply.ok(page(null, GROUP)));
        server.replies("GET", "/server-groups/web", Reply.ok(GROUP));
        server.replies("DELETE", "/server-groups/web", new Reply(204, ""));

        assertThat(cli.run("group", "list").out()).startsWith("NAME   POLICY          MAX_PER_HOST   MEMBERS");
        assertThat(cli.run("group", "show", "web").out())
                .contains("Policy:")
                .contains("anti-affinity")
                .contains("web-1, web-2");
        CliRunner.Result deleted = cli.run("group", "delete", "web");
        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out()).contains("group 'web' deleted");
    }

    @Test
    void vmCreateSendsGroupZoneAndTraitsAndShowPrintsThem() throws Exception {
        server.replies("POST", "/vms", Reply.accepted(VM));
        server.replies("GET", "/vms/web-1", Reply.ok(VM));

        CliRunner.Result created = cli.run(
                "vm",
                "create",
                "--name",
                "web-1",
                "--flavor",
                "small",
                "--image",
                "debian-12",
                "--group",
                "web",
                "--az",
                "zone-a",
                "--trait",
                "cpu.avx2",
                "--trait",
                "!storage.ssd");

        assertThat(created.exitCode()).isZero();
        JsonNode body = JSON.readTree(server.requests("POST", "/vms").getFirst().body());
        assertThat(body.path("serverGroup").asText()).isEqualTo("web");
        assertThat(body.path("availabilityZone").asText()).isEqualTo("zone-a");
        assertThat(body.path("traits").toString()).isEqualTo("[\"cpu.avx2\",\"!storage.ssd\"]");
        assertThat(cli.run("vm", "show", "web-1").out())
                .contains("zone-a")
                .contains("cpu.avx2, !storage.ssd")
                .containsPattern("Server group: +web");
    }
}
