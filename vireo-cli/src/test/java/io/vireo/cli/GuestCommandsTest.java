package io.vireo.cli;

import static io.vireo.cli.Fixtures.page;
import static io.vireo.cli.Fixtures.vm;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.cli.FakeVireoServer.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vireo vm create --ssh-key-file/--user-data-file/--volume} and {@code vireo volume ...}. */
class GuestCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOvdoX7DkM+N+S4x5MJ/N5t9O2iGA/OFqxoH2195Fja3 user@example";
    private static final String VOLUME = """
            {"id":"0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3","name":"data","project":"default","sizeGib":10,\
            "status":"available","vmId":null,"deleteOnTermination":true,"hostId":null,\
            "createdAt":"2026-11-02T10:00:00Z","host":null}""";

    private static final String KEPT = """
            {"id":"1a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3","name":"kept","project":"default","sizeGib":5,\
            "status":"available","vmId":null,"deleteOnTermination":true,\
            "hostId":"2b1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3","createdAt":"2026-11-02T10:00:00Z","host":"node-1"}""";

    @TempDir
    Path home;

    private FakeVireoServer server;
    private CliRunner cli;

    @BeforeEach
    void setUp() {
        server = FakeVireoServer.start();
        cli = new CliRunner(home).env("VIREO_URL", server.url()).env("VIREO_TOKEN", "secret-token");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void createSendsTheKeysUserDataAndVolumes() throws Exception {
        server.replies("POST", "/vms", Reply.accepted(vm("web-1", "PENDING", null)));
        Path key = Files.writeString(home.resolve("id_ed25519.pub"), KEY + "\n", UTF_8);
        Path keys = Files.writeString(home.resolve("authorized_keys"), "# team\n\n" + KEY + " second\n", UTF_8);
        Path userData = Files.writeString(home.resolve("user-data"), "#cloud-config\npackages: [nginx]\n", UTF_8);

        CliRunner.Result result = cli.run(
                "vm",
                "create",
                "--name",
                "web-1",
                "--flavor",
                "small",
                "--image",
                "debian-12",
                "--ssh-key-file",
                key.toString(),
                "--ssh-key-file",
                keys.toString(),
                "--user-data-file",
                userData.toString(),
                "--volume",
                "data",
                "--volume",
                "logs",
                "--keep-volumes");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode body = JSON.readTree(server.requests("POST", "/vms").getFirst().body());
        assertThat(body.path("sshKeys")).extracting(JsonNode::asText).containsExactly(KEY, KEY + " second");
        assertThat(body.path("userData").asText()).isEqualTo("#cloud-config\npackages: [nginx]\n");
        assertThat(body.path("volumes")).extracting(JsonNode::asText).containsExactly("data", "logs");
        assertThat(body.path("keepVolumes").asBoolean()).isTrue();
    }

    @Test
    void aPlainCreateSendsNoGuestFields() throws Exception {
        server.replies("POST", "/vms", Reply.accepted(vm("web-1", "PENDING", null)));

        cli.run("vm", "create", "--name", "web-1", "--flavor", "small", "--image", "debian-12");

        JsonNode body = JSON.readTree(server.requests("POST", "/vms").getFirst().body());
        assertThat(body.has("sshKeys") || body.has("userData") || body.has("volumes") || body.has("keepVolumes"))
                .isFalse();
    }

    @Test
    void anUnreadableOrEmptyKeyFileIsAUsageErrorAndSendsNothing() throws Exception {
        Path empty = Files.writeString(home.resolve("empty.pub"), "# nothing\n", UTF_8);

        CliRunner.Result missing = cli.run(
                "vm",
                "create",
                "--name",
                "web-1",
                "--flavor",
                "small",
                "--image",
                "debian-12",
                "--ssh-key-file",
                home.resolve("nope.pub").toString());
        CliRunner.Result none = cli.run(
                "vm",
                "create",
                "--name",
                "web-1",
                "--flavor",
                "small",
                "--image",
                "debian-12",
                "--ssh-key-file",
                empty.toString());

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read").contains("nope.pub");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("holds no public key");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void volumesAreCreatedListedShownAndDeleted() throws Exception {
        server.replies("POST", "/volumes", new Reply(201, VOLUME));
        server.replies("GET", "/volumes", Reply.ok(page(null, VOLUME, KEPT)));
        server.replies("GET", "/volumes/data", Reply.ok(VOLUME));
        server.replies("GET", "/volumes/kept", Reply.ok(KEPT));
        server.replies("DELETE", "/volumes/data", new Reply(204, ""));

        CliRunner.Result created = cli.run("volume", "create", "--name", "data", "--size-gib", "10");
        CliRunner.Result listed = cli.run("volume", "list");
        CliRunner.Result shown = cli.run("volume", "show", "data");
        CliRunner.Result kept = cli.run("volume", "show", "kept");
        CliRunner.Result deleted = cli.run("volume", "delete", "data");

        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode body =
                JSON.readTree(server.requests("POST", "/volumes").getFirst().body());
        assertThat(body.path("name").asText()).isEqualTo("data");
        assertThat(body.path("sizeGib").asLong()).isEqualTo(10);
        assertThat(listed.out())
                .startsWith("NAME   SIZE     STATUS      VM   HOST     AGE\n")
                .contains("data   10 GiB   available")
                .contains("kept   5 GiB    available   -    node-1");
        assertThat(shown.out()).contains("Delete with VM").contains("0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3");
        assertThat(kept.out()).contains("node-1 (2b1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3)");
        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out()).contains("volume 'data' deleted");
    }
}
