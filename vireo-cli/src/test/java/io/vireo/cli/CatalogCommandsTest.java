package io.vireo.cli;

import static io.vireo.cli.Fixtures.page;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.cli.FakeVireoServer.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code host}, {@code flavor}, {@code image} and {@code events}. */
class CatalogCommandsTest {
    private static final String HOST = """
            {"id":"h1","name":"host-a","state":"UP","driver":"qemu","capabilities":["kvm","virtio"],\
            "capacity":{"vcpus":16,"memoryMib":65536,"diskGib":500},\
            "allocated":{"vcpus":4,"memoryMib":8192,"diskGib":40},\
            "usage":{"cpuPercent":12.5,"memoryUsedMib":6000,"diskUsedGib":31,"runningVms":2},\
            "lastHeartbeatAt":"2026-11-27T09:59:57Z","createdAt":"2026-11-20T10:00:00Z","resourceGeneration":7,\
            "capacityPolicy":{"reserved":{"vcpus":0,"memoryMib":512,"diskGib":0},\
            "allocationRatios":{"vcpu":4.0,"memory":1.0,"disk":1.0},"overridden":false},\
            "effectiveCapacity":{"vcpus":64,"memoryMib":65024,"diskGib":500}}""";
    private static final String FLAVOR = """
            {"id":"f1","name":"small","vcpus":2,"memoryMib":2048,"diskGib":20,"createdAt":"2026-11-27T07:00:00Z"}""";
    private static final String IMAGE = """
            {"id":"i1","name":"debian-12","project":"default","format":"qcow2","sizeBytes":2254857830,\
            "createdAt":"2026-11-25T10:00:00Z","status":"ACTIVE","statusReason":"","sha256":null,\
            "expectedSha256":null}""";

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
    void hostListShowsAllocatedOverCapacity() {
        server.replies("GET", "/hosts", Reply.ok(page(null, HOST, "{\"name\":\"host-b\",\"state\":\"DOWN\"}")));

        CliRunner.Result result = cli.run("host", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                        NAME     STATE   DRIVER   VMS   VCPUS   MEMORY_MIB   DISK_GIB   HEARTBEAT
                        host-a   UP      qemu     2     4/64    8192/65024   40/500     3s
                        host-b   DOWN    -        -     -/-     -/-          -/-        -
                        """);
    }

    @Test
    void hostShowPrintsCapacityAndUsage() {
        server.replies("GET", "/hosts/host-a", Reply.ok(HOST));

        CliRunner.Result result = cli.run("host", "show", "host-a");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("Capabilities:      kvm, virtio\n")
                .contains("vCPUs:             4/64 allocated (total 16, reserved 0, ratio 4.0)\n")
                .contains("Memory:            8192/65024 MiB allocated (total 65536, reserved 512, ratio 1.0)\n")
                .contains("Capacity policy:   the server's default\n")
                .contains("CPU used:          12.5%\n")
                .contains("Created:           2026-11-20T10:00:00Z (7d ago)\n");
    }

    @Test
    void setCapacityPolicyKeepsWhatIsNotGiven() throws Exception {
        server.replies("GET", "/hosts/host-a", Reply.ok(HOST));
        server.replies("PUT", "/hosts/host-a/capacity-policy", Reply.ok(HOST));

        CliRunner.Result result =
                cli.run("host", "set-capacity-policy", "host-a", "--cpu-ratio", "2.5", "--reserved-disk-gib", "20");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Name:");
        JsonNode body = new ObjectMapper().readTree(server.requests().getLast().body());
        assertThat(body.path("reserved").path("vcpus").asLong()).isZero();
        assertThat(body.path("reserved").path("memoryMib").asLong()).isEqualTo(512);
        assertThat(body.path("reserved").path("diskGib").asLong()).isEqualTo(20);
        assertThat(body.path("allocationRatios").path("vcpu").asDouble()).isEqualTo(2.5);
        assertThat(body.path("allocationRatios").path("memory").asDouble()).isEqualTo(1.0);
        assertThat(body.path("allocationRatios").path("disk").asDouble()).isEqualTo(1.0);
    }

    private static final String HOST_RESERVED_BY_AGENT = """
            {"id":"h2","name":"host-b","state":"UP","driver":"qemu","capabilities":[],\
            "capacity":{"vcpus":16,"memoryMib":65536,"diskGib":500},\
            "allocated":{"vcpus":4,"memoryMib":8192,"diskGib":40},\
            "capacityPolicy":{"reserved":{"vcpus":0,"memoryMib":60000,"diskGib":0},\
            "allocationRatios":{"vcpu":4.0,"memory":1.0,"disk":1.0},"overridden":false,\
            "reservedBy":{"vcpus":"server","memoryMib":"agent","diskGib":"server"}},\
            "effectiveCapacity":{"vcpus":64,"memoryMib":5536,"diskGib":500},\
            "agentReserved":{"vcpus":null,"memoryMib":60000,"diskGib":null},\
            "capacityNote":"more is allocated than the effective capacity (memoryMib 8192 > 5536): ..."}""";

    @Test
    void hostShowSaysWhichReservationTheAgentSetsAndWhyTheHostIsFull() {
        server.replies("GET", "/hosts/host-b", Reply.ok(HOST_RESERVED_BY_AGENT));

        CliRunner.Result result = cli.run("host", "show", "host-b");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("vCPUs:             4/64 allocated (total 16, reserved 0, ratio 4.0)\n")
                .contains("Memory:            8192/5536 MiB allocated (total 65536, reserved 60000 by its agent,"
                        + " ratio 1.0)\n")
                .contains("Capacity policy:   the server's default, with the memory reservation its agent reports\n")
                .contains("Capacity note:     more is allocated than the effective capacity (memoryMib 8192 > 5536)");
    }

    @Test
    void resetCapacityPolicyDropsTheHostsOwnAndShowsTheResult() {
        server.replies("DELETE", "/hosts/host-a/capacity-policy", new Reply(204, ""));
        server.replies("GET", "/hosts/host-a", Reply.ok(HOST));

        CliRunner.Result result = cli.run("host", "reset-capacity-policy", "host-a");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(server.paths())
                .containsExactly("DELETE /api/v1/hosts/host-a/capacity-policy", "GET /api/v1/hosts/host-a");
        assertThat(result.out()).contains("Capacity policy:   the server's default\n");
    }

    @Test
    void resetCapacityPolicyBelowTheAllocationReportsTheConflict() {
        server.replies(
                "DELETE",
                "/hosts/host-a/capacity-policy",
                Reply.error(
                        409,
                        "CONFLICT",
                        "host 'host-a' has more allocated than the server's default policy allows: vcpus 40 > 32"));

        CliRunner.Result result = cli.run("host", "reset-capacity-policy", "host-a");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("error: host 'host-a' has more allocated than the server's default policy allows:"
                        + " vcpus 40 > 32 (CONFLICT)\n");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void flavorListAndShow() {
        server.replies("GET", "/flavors", Reply.ok(page(null, FLAVOR)));
        server.replies("GET", "/flavors/small", Reply.ok(FLAVOR));

        assertThat(cli.run("flavor", "list").out()).isEqualTo("""
                        NAME    VCPUS   MEMORY_MIB   DISK_GIB   AGE
                        small   2       2048         20         3h
                        """);
        assertThat(cli.run("flavor", "show", "small").out()).contains("Memory:    2048 MiB\n");
    }

    @Test
    void flavorCreateSendsNumbers() throws Exception {
        server.replies("POST", "/flavors", new Reply(201, FLAVOR));

        CliRunner.Result result = cli.run(
                "flavor", "create", "--name", "small", "--vcpus", "2", "--memory-mib", "2048", "--disk-gib", "20");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("small   2       2048");
        JsonNode body = new ObjectMapper().readTree(server.requests().getFirst().body());
        assertThat(body.path("name").asText()).isEqualTo("small");
        assertThat(body.path("vcpus").isInt()).isTrue();
        assertThat(body.path("vcpus").asInt()).isEqualTo(2);
        assertThat(body.path("memoryMib").asLong()).isEqualTo(2048);
        assertThat(body.path("diskGib").asLong()).isEqualTo(20);
    }

    @Test
    void hostDeleteConfirmsForPeopleAndReportsWhyItWasRefused() {
        server.replies("DELETE", "/hosts/host-a", new Reply(204, ""));
        server.replies(
                "DELETE",
                "/hosts/host-b",
                Reply.error(
                        409,
                        "CONFLICT",
                        "host 'host-b' cannot be deleted: 1 VM placed on it (web). Drain it first: vireo host drain"
                                + " host-b; then delete it again."));

        CliRunner.Result deleted = cli.run("host", "delete", "host-a");
        CliRunner.Result refused = cli.run("host", "delete", "host-b");

        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out()).isEqualTo("host 'host-a' deleted\n");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err())
                .isEqualTo("error: host 'host-b' cannot be deleted: 1 VM placed on it (web). Drain it first: vireo"
                        + " host drain host-b; then delete it again. (CONFLICT)\n");
    }

    @Test
    void flavorDeleteConfirmsForPeopleAndIsQuietForScripts() {
        server.replies("DELETE", "/flavors/small", new Reply(204, ""));

        CliRunner.Result table = cli.run("flavor", "delete", "small");
        CliRunner.Result json = cli.run("flavor", "delete", "small", "-o", "json");

        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).isEqualTo("flavor 'small' deleted\n");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).isEmpty();
    }

    @Test
    void flavorDeleteOfAFlavorInUseReportsTheConflict() {
        server.replies("DELETE", "/flavors/small", Reply.error(409, "CONFLICT", "flavor 'small' is used by 3 VMs"));

        CliRunner.Result result = cli.run("flavor", "delete", "small");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: flavor 'small' is used by 3 VMs (CONFLICT)\n");
    }

    @Test
    void imageListShowsSizesForPeople() {
        server.replies("GET", "/images", Reply.ok(page(null, IMAGE)));

        CliRunner.Result result = cli.run("image", "list");

        assertThat(result.out()).isEqualTo("""
                        NAME        FORMAT   STATUS   SIZE      AGE
                        debian-12   qcow2    ACTIVE   2.1 GiB   2d
                        """);
    }

    @Test
    void imageCreateMakesTheRecordThenStreamsTheFile() throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(home.resolve("disk.raw"), "raw disk bytes");
        server.replies("POST", "/images", new Reply(201, IMAGE));
        server.replies("PUT", "/images/debian-12/file", Reply.ok(IMAGE));

        CliRunner.Result result = cli.run(
                "image", "create", "debian-12", "--file", file.toString(), "--format", "raw", "--sha256", "ab12");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Status:", "ACTIVE");
        List<FakeVireoServer.Request> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).query()).containsEntry("sha256", "ab12");
        assertThat(new ObjectMapper().readTree(requests.get(0).body()))
                .isEqualTo(new ObjectMapper().readTree("{\"name\":\"debian-12\",\"format\":\"raw\"}"));
        assertThat(requests.get(1).method()).isEqualTo("PUT");
        assertThat(requests.get(1).headers().get("content-type")).containsExactly("application/octet-stream");
        assertThat(requests.get(1).body()).isEqualTo("raw disk bytes");
    }

    @Test
    void imageCreateChecksItsOptionsBeforeCallingTheServer() {
        CliRunner.Result wrongFormat = cli.run("image", "create", "x", "--file", "/etc/hostname", "--format", "vmdk");
        CliRunner.Result noFile = cli.run(
                "image", "create", "x", "--file", home.resolve("missing").toString(), "--format", "raw");

        assertThat(wrongFormat.exitCode()).isEqualTo(2);
        assertThat(wrongFormat.err()).contains("--format must be qcow2 or raw");
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("is not a readable file");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void eventsOfOneVmAskTheServerForThatVm() {
        server.replies("GET", "/events", Reply.ok(page(null, """
                        {"sequence":41,"createdAt":"2026-11-27T09:59:00Z","objectKind":"vm","objectId":"id-web-1",\
                        "objectName":"web-1","type":"VmScheduled","message":"placed on host-a",\
                        "correlationId":"c-1"}""", """
                        {"sequence":42,"createdAt":"2026-11-27T09:59:30Z","objectKind":"vm","objectId":"id-web-1",\
                        "objectName":null,"type":"VmRunning","message":"running","correlationId":"c-1"}""")));

        CliRunner.Result result = cli.run("events", "--vm", "web-1", "--limit", "20");

        assertThat(result.exitCode()).isZero();
        assertThat(server.requests().getFirst().query())
                .isEqualTo(Map.of("kind", "vm", "object", "web-1", "limit", "100"));
        assertThat(result.out()).isEqualTo("""
                        SEQ   AGE   KIND   OBJECT     TYPE          MESSAGE
                        41    1m    vm     web-1      VmScheduled   placed on host-a
                        42    30s   vm     id-web-1   VmRunning     running
                        """);
    }

    @Test
    void eventsAreTheLatestOnesOldestFirst() {
        server.on("GET", "/events", request -> switch (request.query().getOrDefault("cursor", "")) {
            case "" -> Reply.ok(page("2", event(1), event(2)));
            case "2" -> Reply.ok(page("4", event(3), event(4)));
            default -> Reply.ok(page(null, event(5)));
        });

        CliRunner.Result result = cli.run("events", "--limit", "3");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines().skip(1).map(line -> line.split(" ")[0])).containsExactly("3", "4", "5");
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void eventsAfterASequenceStopAtTheLimitAcrossPages() {
        server.on(
                "GET",
                "/events",
                request -> "40".equals(request.query().get("cursor"))
                        ? Reply.ok(page("42", event(41), event(42)))
                        : Reply.ok(page("43", event(43))));

        CliRunner.Result result = cli.run("events", "--after", "40", "--limit", "3", "-o", "json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines().filter(line -> line.contains("\"sequence\"")))
                .hasSize(3);
        assertThat(server.requests())
                .extracting(FakeVireoServer.Request::query)
                .containsExactly(Map.of("limit", "3", "cursor", "40"), Map.of("limit", "1", "cursor", "42"));
    }

    private static String event(long sequence) {
        return "{\"sequence\":" + sequence + ",\"type\":\"StateChanged\",\"objectKind\":\"vm\"}";
    }
}
