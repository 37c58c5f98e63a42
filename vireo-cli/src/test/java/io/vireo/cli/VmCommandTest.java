package io.vireo.cli;

import static io.vireo.cli.Fixtures.migratingVm;
import static io.vireo.cli.Fixtures.page;
import static io.vireo.cli.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.cli.FakeVireoServer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void listPrintsAnAlignedTable() {
        server.replies(
                "GET", "/vms", Reply.ok(page(null, vm("web-1", "RUNNING", "host-a"), vm("db", "PENDING", null))));

        CliRunner.Result result = cli.run("vm", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo("""
                        NAME    STATE     HOST     FLAVOR   IMAGE       AGE
                        web-1   RUNNING   host-a   small    debian-12   5m
                        db      PENDING   -        small    debian-12   5m
                        """);
        assertThat(server.requests().getFirst().header("Authorization")).isEqualTo("Bearer secret-token");
    }

    @Test
    void consoleLogPrintsTheTailWithControlCharactersReplaced() {
        server.replies(
                "GET",
                "/vms/web-1/console",
                Reply.ok(
                        "{\"data\":\"boot\\u001b[2J ok\\r\\n\\tlogin: \",\"offset\":0,\"nextOffset\":18,\"size\":18}"));

        CliRunner.Result result = cli.run("vm", "console-log", "web-1", "--tail", "100");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("boot?[2J ok\n\tlogin: ");
        assertThat(server.requests().getFirst().query())
                .containsEntry("offset", "-100")
                .containsEntry("limit", "100");
    }

    @Test
    void consoleLogFollowPollsFromNextOffsetEverySecondUntilInterrupted() {
        server.on(
                "GET", "/vms/web-1/console", request -> switch (request.query().getOrDefault("offset", "")) {
                    case "-65536" -> Reply.ok("{\"data\":\"one\\n\",\"offset\":0,\"nextOffset\":4,\"size\":4}");
                    case "4" -> Reply.ok("{\"data\":\"\",\"offset\":4,\"nextOffset\":4,\"size\":4}");
                    default -> Reply.error(400, "INVALID_ARGUMENT", "unexpected offset");
                });
        cli.sleepsBeforeInterrupt = 2;

        CliRunner.Result result = cli.run("vm", "console-log", "web-1", "--follow");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("one\n");
        assertThat(cli.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(server.requests())
                .extracting(request -> request.query().get("offset"))
                .containsExactly("-65536", "4", "4");
    }

    @Test
    void consoleLogRejectsATailOutOfRange() {
        CliRunner.Result result = cli.run("vm", "console-log", "web-1", "--tail", "0");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--tail must be between 1 and 1048576");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void listAsJsonPassesEveryFieldOfTheServerOn() throws Exception {
        server.replies(
                "GET", "/vms", Reply.ok(page(null, vm("web-1", "RUNNING", "host-a"), vm("db", "PENDING", null))));

        CliRunner.Result result = cli.run("vm", "list", "-o", "json");

        assertThat(result.exitCode()).isZero();
        JsonNode vms = JSON.readTree(result.out());
        assertThat(vms.isArray()).isTrue();
        assertThat(vms).hasSize(2);
        assertThat(vms.get(0).path("name").asText()).isEqualTo("web-1");
        assertThat(vms.get(0).path("state").asText()).isEqualTo("RUNNING");
        assertThat(vms.get(0).path("host").asText()).isEqualTo("host-a");
        assertThat(vms.get(1).path("host").isNull()).isTrue();
        assertThat(vms.get(0).path("someFutureField").path("x").asInt()).isEqualTo(1);
    }

    @Test
    void listFollowsNextCursorToTheEnd() {
        server.on("GET", "/vms", request -> switch (request.query().getOrDefault("cursor", "")) {
            case "" -> Reply.ok(page("c1", vm("web-1", "RUNNING", "host-a")));
            case "c1" -> Reply.ok(page("c2", vm("web-2", "RUNNING", "host-b")));
            case "c2" -> Reply.ok(page(null, vm("web-3", "STOPPED", "host-a")));
            default -> Reply.error(400, "INVALID_ARGUMENT", "bad cursor");
        });

        CliRunner.Result result = cli.run("vm", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("web-1", "web-2", "web-3");
        assertThat(server.requests("GET", "/vms"))
                .extracting(FakeVireoServer.Request::query)
                .containsExactly(
                        java.util.Map.of("limit", "100"),
                        java.util.Map.of("limit", "100", "cursor", "c1"),
                        java.util.Map.of("limit", "100", "cursor", "c2"));
    }

    @Test
    void listPassesItsFiltersToTheServer() {
        server.replies("GET", "/vms", Reply.ok(page(null)));

        CliRunner.Result result = cli.run("vm", "list", "--state", "running", "--host", "host-a");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("NAME   STATE   HOST   FLAVOR   IMAGE   AGE\n");
        assertThat(server.requests().getFirst().query())
                .containsEntry("state", "RUNNING")
                .containsEntry("host", "host-a");
    }

    @Test
    void listGivesUpOnACursorThatRepeats() {
        server.replies("GET", "/vms", Reply.ok(page("same", vm("web-1", "RUNNING", "host-a"))));

        CliRunner.Result result = cli.run("vm", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("returned the same cursor twice");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void showPrintsTheDetailsOfOneVm() {
        server.replies("GET", "/vms/web-1", Reply.ok(vm("web-1", "RUNNING", "host-a", 3, 3)));

        CliRunner.Result result = cli.run("vm", "show", "web-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("Name:            web-1\n")
                .contains("State:           RUNNING\n")
                .contains("Host:            host-a\n")
                .contains("Memory:          2048 MiB\n")
                .contains("Generation:      3 (observed 3)\n")
                .contains("Created:         2026-11-27T09:55:00Z (5m ago)\n");
    }

    @Test
    void listMarksAVmWithAMigrationInFlight() {
        server.replies(
                "GET",
                "/vms",
                Reply.ok(page(
                        null,
                        migratingVm("web-1", null, "host-a", "host-b", "MIGRATING"),
                        vm("db", "RUNNING", "host-a"))));

        CliRunner.Result result = cli.run("vm", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                        NAME    STATE                 HOST     FLAVOR   IMAGE       AGE
                        web-1   RUNNING (migrating)   host-a   small    debian-12   5m
                        db      RUNNING               host-a   small    debian-12   5m
                        """);
    }

    @Test
    void showPrintsTheGangAndTheMigrationInFlightFromTheVmAlone() {
        String gangId = "6f1c1f9e-8f5a-4c7e-9d0e-2b4a8c3d5e71";
        server.replies("GET", "/vms/web-1", Reply.ok(migratingVm("web-1", gangId, "host-a", "host-b", "PREPARING")));

        CliRunner.Result result = cli.run("vm", "show", "web-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("State:           RUNNING\n")
                .contains("Host:            host-a\n")
                .contains("Migrating:       PREPARING host-a -> host-b (since 2026-11-27T09:58:00Z, 2m ago)\n")
                .contains("Gang:            " + gangId + "\n")
                .doesNotContain("Last migration");
        assertThat(server.requests()).as("no second call").hasSize(1);
    }

    @Test
    void showOfAVmNotMigratingPrintsItsLastMigrationAndNoGang() {
        server.replies("GET", "/vms/web-1", Reply.ok(vm("web-1", "RUNNING", "host-b")));
        server.replies("GET", "/vms/web-1/migrations", Reply.ok("""
                {"items":[{"id":"m-1","vmId":"id-web-1","state":"COMPLETED","sourceHost":"host-a",\
                "destinationHost":"host-b","requestedAt":"2026-11-27T09:58:00Z",\
                "finishedAt":"2026-11-27T09:58:02Z","error":null,"totalMillis":1800,"diskCopyMillis":300,\
                "memoryMillis":1500,"downtimeMillis":40,"transferredBytes":1048576,"elapsedMillis":2000,\
                "correlationId":"c"}],"nextCursor":null}"""));

        CliRunner.Result result = cli.run("vm", "show", "web-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("Gang:             -\n")
                .contains(
                        "Last migration:   COMPLETED host-a -> host-b in 2000 ms (migration 1800 ms, downtime 40 ms)\n")
                .doesNotContain("Migrating:");
    }

    private static final String MEASURED_STATS = """
            {"vmId": "id-web-1", "sampledAt": "2026-11-27T09:59:58Z", "synthetic": false,
             "cpu": {"percent": 12.5, "timeMillis": 34500, "vcpus": 1},
             "memory": {"residentBytes": 220200960, "guestBytes": 134217728, "guestTotalBytes": 121634816,
                        "guestAvailableBytes": 90177536},
             "disk": {"readBytes": 1048576, "writtenBytes": 4096, "readOperations": 40, "writeOperations": 1},
             "network": null}""";

    @Test
    void statsPrintTheLatestSampleSayingWhatIsNotAvailable() {
        server.replies("GET", "/vms/web-1/stats", Reply.ok(MEASURED_STATS));
        server.replies("GET", "/vms/web-2/stats", Reply.ok("""
                        {"vmId": "id-web-2", "sampledAt": "2026-11-27T10:00:00Z", "synthetic": true,
                         "cpu": {"percent": null, "timeMillis": 0, "vcpus": 2},
                         "memory": {"residentBytes": 0, "guestBytes": 1024, "guestTotalBytes": null,
                                    "guestAvailableBytes": null},
                         "disk": {"readBytes": 0, "writtenBytes": 0, "readOperations": 0, "writeOperations": 0},
                         "network": {"receivedBytes": 1536, "transmittedBytes": 60}}"""));

        CliRunner.Result measured = cli.run("vm", "stats", "web-1");
        CliRunner.Result synthetic = cli.run("vm", "stats", "web-2");

        assertThat(measured.exitCode()).isZero();
        assertThat(measured.out()).isEqualTo("""
                        Sampled:          2026-11-27T09:59:58Z (2s ago)
                        CPU:              12.5% of 1 vCPU (CPU time 34.5 s)
                        Memory (host):    210.0 MiB resident
                        Memory (guest):   128.0 MiB; 86.0 MiB available of 116.0 MiB
                        Disk read:        1.0 MiB in 40 operations
                        Disk written:     4.0 KiB in 1 operations
                        Network:          n/a (the network interface is not plugged into a bridge)
                        Synthetic:        no
                        """);
        assertThat(synthetic.out())
                .contains("CPU:              n/a (first sample) of 2 vCPUs (CPU time 0.0 s)\n")
                .contains("Memory (guest):   1.0 KiB; usage n/a (the guest reports no balloon statistics)\n")
                .contains("Network:          1.5 KiB received, 60 B sent\n")
                .contains("Synthetic:        yes (fake driver: not measured)\n");
    }

    @Test
    void statsAsJsonAreTheServersAnswerAndItsErrorsAreShown() throws Exception {
        server.replies("GET", "/vms/web-1/stats", Reply.ok(MEASURED_STATS));
        server.replies(
                "GET",
                "/vms/web-3/stats",
                Reply.error(409, "CONFLICT", "VM 'web-3' is STOPPED; metrics are sampled only while its guest runs"));

        CliRunner.Result json = cli.run("vm", "stats", "web-1", "-o", "json");
        CliRunner.Result stopped = cli.run("vm", "stats", "web-3");

        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()))
                .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(MEASURED_STATS));
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.err()).contains("is STOPPED").contains("(CONFLICT)");
    }

    @Test
    void showOfAnUnknownVmPrintsTheServersErrorAndExitsWithOne() {
        server.replies("GET", "/vms/nope", Reply.error(404, "NOT_FOUND", "vm 'nope' not found"));

        CliRunner.Result result = cli.run("vm", "show", "nope");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error: vm 'nope' not found (NOT_FOUND)\n");
    }

    @Test
    void namesAreEncodedIntoOnePathSegment() {
        CliRunner.Result result = cli.run("vm", "show", "a/b c");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(server.requests().getFirst().path()).isEqualTo("/api/v1/vms/a%2Fb%20c");
    }

    @Test
    void createSendsTheSpecWithAFreshIdempotencyKeyPerInvocation() throws Exception {
        server.replies("POST", "/vms", Reply.accepted(vm("web-1", "PENDING", null)));

        CliRunner.Result first =
                cli.run("vm", "create", "--name", "web-1", "--flavor", "small", "--image", "debian-12");
        CliRunner.Result second =
                cli.run("vm", "create", "--name", "web-1", "--flavor", "small", "--image", "debian-12");

        assertThat(first.exitCode()).isZero();
        assertThat(second.exitCode()).isZero();
        assertThat(first.out()).contains("web-1   PENDING   -");
        var posts = server.requests("POST", "/vms");
        assertThat(posts).hasSize(2);
        JsonNode body = JSON.readTree(posts.getFirst().body());
        assertThat(body.path("name").asText()).isEqualTo("web-1");
        assertThat(body.path("flavor").asText()).isEqualTo("small");
        assertThat(body.path("image").asText()).isEqualTo("debian-12");
        assertThat(posts.getFirst().header("Content-Type")).isEqualTo("application/json");
        UUID firstKey = UUID.fromString(String.valueOf(posts.get(0).header("Idempotency-Key")));
        UUID secondKey = UUID.fromString(String.valueOf(posts.get(1).header("Idempotency-Key")));
        assertThat(firstKey).isNotEqualTo(secondKey);
    }

    @Test
    void createResendsWithTheSameKeyWhenTheConnectionDropsBeforeTheAnswer() {
        server.replies("POST", "/vms", Reply.DROP, Reply.accepted(vm("web-1", "PENDING", null)));

        CliRunner.Result result =
                cli.run("vm", "create", "--name", "web-1", "--flavor", "small", "--image", "debian-12");

        assertThat(result.exitCode()).isZero();
        var posts = server.requests("POST", "/vms");
        assertThat(posts).hasSize(2);
        assertThat(posts.get(1).header("Idempotency-Key"))
                .isNotNull()
                .isEqualTo(posts.get(0).header("Idempotency-Key"));
    }

    @Test
    void createGivesUpAfterTheConfiguredAttempts() {
        server.replies("POST", "/vms", Reply.DROP);

        CliRunner.Result result =
                cli.run("vm", "create", "--name", "web-1", "--flavor", "small", "--image", "debian-12");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: connection failed during POST " + server.url() + "/api/v1/vms");
        assertThat(server.requests("POST", "/vms")).hasSize(3);
    }

    @Test
    void createIsNotRetriedWhenTheServerRefuses() {
        server.replies("POST", "/vms", Reply.error(409, "ALREADY_EXISTS", "vm 'web-1' already exists"));

        CliRunner.Result result =
                cli.run("vm", "create", "--name", "web-1", "--flavor", "small", "--image", "debian-12");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: vm 'web-1' already exists (ALREADY_EXISTS)\n");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void actionsPostToTheVmAndPrintItsRow() {
        server.replies("POST", "/vms/web-1/start", Reply.accepted(vm("web-1", "STARTING", "host-a", 2, 1)));
        server.replies("POST", "/vms/web-1/stop", Reply.accepted(vm("web-1", "STOPPING", "host-a", 3, 2)));
        server.replies("POST", "/vms/web-1/reboot", Reply.accepted(vm("web-1", "REBOOTING", "host-a", 4, 3)));
        server.replies("DELETE", "/vms/web-1", Reply.accepted(vm("web-1", "DELETING", "host-a", 5, 4)));
        server.replies("POST", "/vms/web-1/pause", Reply.accepted(vm("web-1", "RUNNING", "host-a", 6, 5)));
        server.replies("POST", "/vms/web-1/resume", Reply.accepted(vm("web-1", "PAUSED", "host-a", 7, 6)));

        assertThat(cli.run("vm", "start", "web-1").out()).contains("web-1   STARTING");
        assertThat(cli.run("vm", "stop", "web-1").out()).contains("web-1   STOPPING");
        assertThat(cli.run("vm", "reboot", "web-1").out()).contains("web-1   REBOOTING");
        assertThat(cli.run("vm", "delete", "web-1").out()).contains("web-1   DELETING");
        assertThat(cli.run("vm", "pause", "web-1").out()).contains("web-1   RUNNING");
        assertThat(cli.run("vm", "resume", "web-1").out()).contains("web-1   PAUSED");
        assertThat(server.paths())
                .containsExactly(
                        "POST /api/v1/vms/web-1/start",
                        "POST /api/v1/vms/web-1/stop",
                        "POST /api/v1/vms/web-1/reboot",
                        "DELETE /api/v1/vms/web-1",
                        "POST /api/v1/vms/web-1/pause",
                        "POST /api/v1/vms/web-1/resume");
        assertThat(cli.sleeps).isEmpty();
    }

    @Test
    void anErrorThatIsNotTheApisShapeIsReportedByStatus() {
        server.replies("GET", "/vms/web-1", new Reply(502, "<html>Bad gateway</html>"));

        CliRunner.Result result = cli.run("vm", "show", "web-1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("error: HTTP 502 from GET " + server.url()
                        + "/api/v1/vms/web-1: <html>Bad gateway</html> (HTTP_502)\n");
    }

    @Test
    void anAnswerThatIsNotJsonIsAnError() {
        server.replies("GET", "/vms/web-1", Reply.ok("not json"));

        CliRunner.Result result = cli.run("vm", "show", "web-1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("error: the answer to GET " + server.url() + "/api/v1/vms/web-1 is not JSON\n");
    }

    @Test
    void anEmptyOrMisshapenAnswerIsAnInvalidResponse() {
        server.replies("GET", "/vms/web-1", new Reply(200, ""));
        server.replies("GET", "/vms", Reply.ok("{\"items\":[42]}"));

        CliRunner.Result empty = cli.run("vm", "show", "web-1");
        CliRunner.Result number = cli.run("vm", "list");

        assertThat(empty.exitCode()).isEqualTo(1);
        assertThat(empty.err()).isEqualTo("error: unexpected vm from the server: expected a JSON object, got NULL\n");
        assertThat(number.exitCode()).isEqualTo(1);
        assertThat(number.err())
                .isEqualTo("error: unexpected vm from the server: expected a JSON object, got NUMBER\n");
    }

    @Test
    void aServerThatIsNotThereIsReportedWithoutAStackTrace() {
        String url = server.url();
        server.close();

        CliRunner.Result result = cli.run("vm", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("error: cannot connect to Vireo at " + url + " (from VIREO_URL): connection refused\n");
    }

    @Test
    void controlCharactersFromTheServerAreNotPrinted() {
        server.replies("GET", "/vms", Reply.ok(page(null, vm("web-1", "RUNNING", "evil\\u001b[31mhost"))));

        CliRunner.Result result = cli.run("vm", "list");

        assertThat(result.out()).contains("evil?[31mhost").doesNotContain("\u001b");
    }
}
