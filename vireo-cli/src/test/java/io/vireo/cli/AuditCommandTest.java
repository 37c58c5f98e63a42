package io.vireo.cli;

import static io.vireo.cli.Fixtures.page;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.cli.FakeVireoServer.Reply;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vireo audit}: the latest matching records, oldest first; filters go to the server as they are. */
class AuditCommandTest {
    private static final String CREATE = """
            {"id":42,"createdAt":"2026-11-27T09:59:00.123456Z","actorKind":"user","actorId":"u-1","actor":"ann",\
            "project":"p-1","action":"createVm","targetType":"vm","targetId":"v-1","targetName":"web-1",\
            "outcome":"ok","httpStatus":202,"errorCode":null,"correlationId":"c-1","sourceAddress":"192.0.2.1",\
            "detail":""}""";
    private static final String DENIED = """
            {"id":43,"createdAt":"2026-11-27T09:59:30Z","actorKind":"user","actorId":"u-2","actor":"bob",\
            "project":"p-1","action":"deleteVm","targetType":"vm","targetId":null,"targetName":"web-1",\
            "outcome":"denied","httpStatus":403,"errorCode":"PERMISSION_DENIED","correlationId":"c-2",\
            "sourceAddress":"192.0.2.2","detail":"role reader may not DELETE /api/v1/vms/{nameOrId}"}""";
    private static final String PLACED = """
            {"id":44,"createdAt":"2026-11-27T09:59:40Z","actorKind":"system","actorId":null,"actor":"placement",\
            "project":"p-1","action":"system.placeVm","targetType":"vm","targetId":"v-1","targetName":"web-1",\
            "outcome":"ok","httpStatus":null,"errorCode":null,"correlationId":null,"sourceAddress":null,\
            "detail":"on host h1"}""";

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
    void printsTheLatestRecordsOldestFirstAsATable() {
        server.replies("GET", "/audit", Reply.ok(page(null, PLACED, DENIED, CREATE)));

        CliRunner.Result result = cli.run("audit");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(server.requests().getFirst().query()).isEqualTo(Map.of("limit", "50"));
        assertThat(result.out()).isEqualTo("""
                ID   TIME                   ACTOR                ACTION           TARGET     OUTCOME                        \
                SOURCE      CORRELATION-ID   DETAIL
                42   2026-11-27T09:59:00Z   ann                  createVm         vm web-1   ok 202                         \
                192.0.2.1   c-1
                43   2026-11-27T09:59:30Z   bob                  deleteVm         vm web-1   denied 403 PERMISSION_DENIED   \
                192.0.2.2   c-2              role reader may not DELETE /api/v1/vms/{nameOrId}
                44   2026-11-27T09:59:40Z   placement (system)   system.placeVm   vm web-1   ok                             \
                -           -                on host h1
                """);
    }

    @Test
    void sendsEveryFilterAndTurnsATimeAgoIntoAnInstant() {
        server.replies("GET", "/audit", Reply.ok(page(null, DENIED)));

        CliRunner.Result result = cli.run(
                "audit",
                "--since",
                "2h",
                "--until",
                "2026-11-27T09:30:00Z",
                "--actor",
                "bob",
                "--action",
                "deleteVm",
                "--target",
                "web-1",
                "--outcome",
                "DENIED",
                "--correlation-id",
                "c-2",
                "--limit",
                "5");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(server.requests().getFirst().query())
                .isEqualTo(Map.of(
                        "since", "2026-11-27T08:00:00Z",
                        "until", "2026-11-27T09:30:00Z",
                        "actor", "bob",
                        "action", "deleteVm",
                        "target", "web-1",
                        "outcome", "denied",
                        "correlationId", "c-2",
                        "limit", "5"));
    }

    @Test
    void stopsAtTheLimitAcrossPagesAndPrintsJsonForScripts() throws Exception {
        server.on(
                "GET",
                "/audit",
                request -> "43".equals(request.query().get("cursor"))
                        ? Reply.ok(page("41", CREATE.replace("\"id\":42", "\"id\":41")))
                        : Reply.ok(page("43", PLACED, DENIED)));

        CliRunner.Result result = cli.run("audit", "--limit", "3", "--since", "2026-11-27", "-o", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(new ObjectMapper().readTree(result.out()))
                .extracting(item -> item.path("id").asLong())
                .containsExactly(41L, 43L, 44L);
        assertThat(server.requests())
                .extracting(FakeVireoServer.Request::query)
                .containsExactly(
                        Map.of("limit", "3", "since", "2026-11-27T00:00:00Z"),
                        Map.of("limit", "1", "since", "2026-11-27T00:00:00Z", "cursor", "43"));
    }

    @Test
    void badOptionsAreUsageErrorsAndAskTheServerNothing() {
        assertThat(cli.run("audit", "--since", "yesterday").exitCode()).isEqualTo(2);
        assertThat(cli.run("audit", "--outcome", "maybe").exitCode()).isEqualTo(2);
        assertThat(cli.run("audit", "--since", "1h", "--until", "2h").exitCode())
                .isEqualTo(2);
        assertThat(cli.run("audit", "--limit", "0").exitCode()).isEqualTo(2);
        assertThat(cli.run("audit", "--action", "create vm").exitCode()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }
}
