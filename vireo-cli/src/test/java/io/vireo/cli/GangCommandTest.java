package io.vireo.cli;

import static io.vireo.cli.Fixtures.errorVm;
import static io.vireo.cli.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.cli.FakeVireoServer.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vireo vm create --count N}: sends the count, prints every member of the gang, waits for all of them. */
class GangCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GANG_ID = "6f1c2a9e-0c5e-4c1b-9d7e-1f2a3b4c5d6e";

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

    private static String gang(String... members) {
        return "{\"gangId\":\"" + GANG_ID + "\",\"items\":[" + String.join(",", members) + "]}";
    }

    @Test
    void createWithACountSendsItAndPrintsEveryMember() throws Exception {
        server.replies(
                "POST",
                "/vms",
                Reply.accepted(gang(
                        vm("web-1", "PENDING", null), vm("web-2", "PENDING", null), vm("web-3", "PENDING", null))));

        CliRunner.Result result = cli.run(
                "vm",
                "create",
                "--name",
                "web",
                "--flavor",
                "small",
                "--image",
                "debian-12",
                "--count",
                "3",
                "--group",
                "g");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                        NAME    STATE     HOST   FLAVOR   IMAGE       AGE
                        web-1   PENDING   -      small    debian-12   5m
                        web-2   PENDING   -      small    debian-12   5m
                        web-3   PENDING   -      small    debian-12   5m
                        """);
        JsonNode body = JSON.readTree(server.requests("POST", "/vms").getFirst().body());
        assertThat(body.path("count").asInt()).isEqualTo(3);
        assertThat(body.path("serverGroup").asText()).isEqualTo("g");
    }

    @Test
    void withoutACountNoCountIsSent() throws Exception {
        server.replies("POST", "/vms", Reply.accepted(vm("web", "PENDING", null)));

        cli.run("vm", "create", "--name", "web", "--flavor", "small", "--image", "debian-12");

        assertThat(JSON.readTree(server.requests("POST", "/vms").getFirst().body())
                        .has("count"))
                .isFalse();
    }

    @Test
    void jsonOutputIsTheServersGangObject() throws Exception {
        String answer = gang(vm("web-1", "PENDING", null), vm("web-2", "PENDING", null));
        server.replies("POST", "/vms", Reply.accepted(answer));

        CliRunner.Result result = cli.run(
                "vm",
                "create",
                "--name",
                "web",
                "--flavor",
                "small",
                "--image",
                "debian-12",
                "--count",
                "2",
                "-o",
                "json");

        assertThat(result.exitCode()).isZero();
        assertThat(JSON.readTree(result.out())).isEqualTo(JSON.readTree(answer));
    }

    @Test
    void waitWaitsForEveryMember() {
        server.replies(
                "POST",
                "/vms",
                Reply.accepted(gang(vm("web-1", "PENDING", null, 1, 0), vm("web-2", "PENDING", null, 1, 0))));
        server.replies("GET", "/vms/id-web-1", Reply.ok(vm("web-1", "RUNNING", "host-a", 1, 1)));
        server.replies(
                "GET",
                "/vms/id-web-2",
                Reply.ok(vm("web-2", "STARTING", "host-b", 1, 1)),
                Reply.ok(vm("web-2", "RUNNING", "host-b", 1, 1)));

        CliRunner.Result result = cli.run(
                "vm", "create", "--name", "web", "--flavor", "small", "--image", "debian-12", "--count", "2", "--wait");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("web-1   RUNNING   host-a").contains("web-2   RUNNING   host-b");
    }

    @Test
    void aGangThatDoesNotFitFailsTheWaitWithTheSchedulersExplanation() {
        String reason = "gang of 2 VMs, none placed: member 2 found no valid host among 1 hosts";
        server.replies(
                "POST",
                "/vms",
                Reply.accepted(gang(vm("web-1", "PENDING", null, 1, 0), vm("web-2", "PENDING", null, 1, 0))));
        server.replies("GET", "/vms/id-web-1", Reply.ok(errorVm("web-1", reason, null, 1, 0)));

        CliRunner.Result result = cli.run(
                "vm", "create", "--name", "web", "--flavor", "small", "--image", "debian-12", "--count", "2", "--wait");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: vm 'web-1' is in ERROR: " + reason + "\n");
    }
}
