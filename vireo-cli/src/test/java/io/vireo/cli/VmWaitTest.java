package io.vireo.cli;

import static io.vireo.cli.Fixtures.errorVm;
import static io.vireo.cli.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.cli.FakeVireoServer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --wait}: the sleeper advances a fake clock, so these tests never sleep and time out deterministically. */
class VmWaitTest {
    private static final Duration POLL = CliEnvironment.DEFAULT_POLL_INTERVAL;

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
    void createWaitsUntilTheVmRuns() {
        server.replies("POST", "/vms", Reply.accepted(vm("web-1", "PENDING", null, 1, 0)));
        server.replies(
                "GET",
                "/vms/id-web-1",
                Reply.ok(vm("web-1", "SCHEDULED", "host-a", 1, 0)),
                Reply.ok(vm("web-1", "STARTING", "host-a", 1, 1)),
                Reply.ok(vm("web-1", "RUNNING", "host-a", 1, 1)));

        CliRunner.Result result =
                cli.run("vm", "create", "--name", "web-1", "--flavor", "small", "--image", "debian-12", "--wait");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("web-1   RUNNING   host-a");
        assertThat(server.requests("GET", "/vms/id-web-1")).hasSize(3);
        assertThat(cli.sleeps).isEqualTo(Collections.nCopies(3, POLL));
    }

    @Test
    void rebootWaitsUntilTheControllerHasObservedIt() {
        server.replies("POST", "/vms/web-1/reboot", Reply.accepted(vm("web-1", "RUNNING", "host-a", 5, 4)));
        server.replies(
                "GET",
                "/vms/id-web-1",
                Reply.ok(vm("web-1", "RUNNING", "host-a", 5, 4)),
                Reply.ok(vm("web-1", "REBOOTING", "host-a", 5, 5)),
                Reply.ok(vm("web-1", "RUNNING", "host-a", 5, 5)));

        CliRunner.Result result = cli.run("vm", "reboot", "web-1", "--wait");

        assertThat(result.exitCode()).isZero();
        assertThat(server.requests("GET", "/vms/id-web-1")).hasSize(3);
    }

    @Test
    void pauseWaitsUntilTheVmIsPausedAtTheNewGeneration() {
        server.replies("POST", "/vms/web-1/pause", Reply.accepted(vm("web-1", "RUNNING", "host-a", 6, 5)));
        server.replies(
                "GET",
                "/vms/id-web-1",
                Reply.ok(vm("web-1", "RUNNING", "host-a", 6, 5)),
                Reply.ok(vm("web-1", "PAUSED", "host-a", 6, 6)));

        CliRunner.Result result = cli.run("vm", "pause", "web-1", "--wait");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("web-1   PAUSED");
        assertThat(server.requests("GET", "/vms/id-web-1")).hasSize(2);
    }

    @Test
    void aVmAlreadyInTheTargetStateNeedsNoPolling() {
        server.replies("POST", "/vms/web-1/start", Reply.accepted(vm("web-1", "RUNNING", "host-a", 2, 2)));

        CliRunner.Result result = cli.run("vm", "start", "web-1", "--wait");

        assertThat(result.exitCode()).isZero();
        assertThat(server.requests("GET", "/vms/id-web-1")).isEmpty();
        assertThat(cli.sleeps).isEmpty();
    }

    @Test
    void aVmThatEndsInErrorFailsTheWaitWithItsReason() {
        server.replies("POST", "/vms/web-1/start", Reply.accepted(vm("web-1", "STOPPED", "host-a", 2, 1)));
        server.replies("GET", "/vms/id-web-1", Reply.ok(errorVm("web-1", "qemu exited with status 1", "host-a", 2, 2)));

        CliRunner.Result result = cli.run("vm", "start", "web-1", "--wait");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error: vm 'web-1' is in ERROR: qemu exited with status 1\n");
    }

    @Test
    void aVmNoHostCanTakeFailsTheWaitAtOnce() {
        server.replies("POST", "/vms", Reply.accepted(vm("web-1", "PENDING", null, 1, 0)));
        server.replies("GET", "/vms/id-web-1", Reply.ok(errorVm("web-1", "no host has 64 vCPUs free", null, 1, 0)));

        CliRunner.Result result =
                cli.run("vm", "create", "--name", "web-1", "--flavor", "huge", "--image", "debian-12", "--wait");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: vm 'web-1' is in ERROR: no host has 64 vCPUs free\n");
        assertThat(server.requests("GET", "/vms/id-web-1")).hasSize(1);
    }

    @Test
    void anOldErrorDoesNotFailTheWaitBeforeTheActionIsObserved() {
        server.replies("POST", "/vms/web-1/start", Reply.accepted(errorVm("web-1", "old", "host-a", 3, 2)));
        server.replies(
                "GET",
                "/vms/id-web-1",
                Reply.ok(vm("web-1", "STARTING", "host-a", 3, 3)),
                Reply.ok(vm("web-1", "RUNNING", "host-a", 3, 3)));

        CliRunner.Result result = cli.run("vm", "start", "web-1", "--wait");

        assertThat(result.exitCode()).isZero();
    }

    @Test
    void theWaitTimesOutAtTheDeadline() {
        server.replies("POST", "/vms/web-1/stop", Reply.accepted(vm("web-1", "STOPPING", "host-a", 2, 1)));
        server.replies("GET", "/vms/id-web-1", Reply.ok(vm("web-1", "STOPPING", "host-a", 2, 2)));

        CliRunner.Result result = cli.run("vm", "stop", "web-1", "--wait", "--timeout", "5500ms");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("error: timed out after 5500ms waiting for vm 'web-1' to be STOPPED"
                        + " (last state: STOPPING)\n");
        assertThat(cli.sleeps).hasSize(6).last().isEqualTo(Duration.ofMillis(500));
        assertThat(cli.clock.instant()).isEqualTo(CliRunner.NOW.plusMillis(5500));
    }

    @Test
    void deleteWaitsUntilTheVmIsGone() {
        server.replies("DELETE", "/vms/web-1", Reply.accepted(vm("web-1", "DELETING", "host-a", 2, 1)));
        server.replies(
                "GET",
                "/vms/id-web-1",
                Reply.ok(vm("web-1", "DELETING", "host-a", 2, 2)),
                Reply.error(404, "NOT_FOUND", "vm 'id-web-1' not found"));

        CliRunner.Result result = cli.run("vm", "delete", "web-1", "--wait");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("vm 'web-1' deleted\n");
    }

    @Test
    void deleteWithJsonOutputPrintsTheVmAsDeleted() throws Exception {
        server.replies("DELETE", "/vms/web-1", Reply.accepted(vm("web-1", "DELETING", "host-a", 2, 1)));
        server.replies("GET", "/vms/id-web-1", Reply.error(404, "NOT_FOUND", "vm 'id-web-1' not found"));

        CliRunner.Result result = cli.run("vm", "delete", "web-1", "--wait", "-o", "json");

        assertThat(result.exitCode()).isZero();
        JsonNode vm = new ObjectMapper().readTree(result.out());
        assertThat(vm.path("name").asText()).isEqualTo("web-1");
        assertThat(vm.path("state").asText()).isEqualTo("DELETED");
    }

    @Test
    void aVmThatDisappearsWhileWaitingToRunFailsTheWait() {
        server.replies("POST", "/vms/web-1/start", Reply.accepted(vm("web-1", "STARTING", "host-a", 2, 1)));
        server.replies("GET", "/vms/id-web-1", Reply.error(404, "NOT_FOUND", "vm 'id-web-1' not found"));

        CliRunner.Result result = cli.run("vm", "start", "web-1", "--wait");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: vm 'web-1' no longer exists\n");
    }

    @Test
    void aDroppedConnectionWhilePollingIsRetried() {
        server.replies("POST", "/vms/web-1/start", Reply.accepted(vm("web-1", "STARTING", "host-a", 2, 1)));
        server.replies(
                "GET", "/vms/id-web-1", Reply.DROP, Reply.DROP, Reply.ok(vm("web-1", "RUNNING", "host-a", 2, 2)));

        CliRunner.Result result = cli.run("vm", "start", "web-1", "--wait");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("web-1   RUNNING");
    }

    @Test
    void anAuthenticationErrorWhilePollingEndsTheWait() {
        server.replies("POST", "/vms/web-1/start", Reply.accepted(vm("web-1", "STARTING", "host-a", 2, 1)));
        server.replies("GET", "/vms/id-web-1", Reply.error(401, "UNAUTHENTICATED", "token expired"));

        CliRunner.Result result = cli.env("VIREO_TOKEN", "old-token").run("vm", "start", "web-1", "--wait");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: token expired (UNAUTHENTICATED)\n");
        assertThat(server.requests("GET", "/vms/id-web-1")).hasSize(1);
    }
}
