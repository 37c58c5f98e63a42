package io.vireo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.cli.FakeVireoServer.Reply;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vireo vm migrate} against a scripted API. */
class MigrateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "5f2c1f0e-8d6b-4c1e-9a51-2f0c4b7d9e10";
    private static final String PREPARING = migration("PREPARING", "null", "null", "null", "null");
    private static final String COMPLETED = migration("COMPLETED", "\"2026-11-02T10:00:01Z\"", "812", "701", "92");

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
    void migrateSendsTheHostAndWaitsForTheEnd() throws Exception {
        server.replies("POST", "/vms/web-1/actions/migrate", Reply.accepted(PREPARING));
        AtomicInteger polls = new AtomicInteger();
        server.on(
                "GET",
                "/vms/web-1/migrations/" + ID,
                request -> Reply.ok(polls.incrementAndGet() < 2 ? PREPARING : COMPLETED));

        CliRunner.Result result = cli.run("vm", "migrate", "web-1", "--to", "local-2", "--wait");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(JSON.readTree(server.requests().getFirst().body()))
                .isEqualTo(JSON.readTree("{\"host\":\"local-2\"}"));
        assertThat(result.out())
                .isEqualTo("vm 'web-1': migration " + ID
                        + " COMPLETED local-1 -> local-2 in 812 ms (migration 701 ms, downtime 92 ms)\n");
    }

    @Test
    void withoutToTheBodyIsEmptyAndAFailedMigrationExitsOne() throws Exception {
        server.replies("POST", "/vms/web-1/actions/migrate", Reply.accepted(PREPARING));
        server.replies(
                "GET",
                "/vms/web-1/migrations/" + ID,
                Reply.ok(PREPARING
                        .replace("\"PREPARING\"", "\"FAILED\"")
                        .replace("\"error\":null", "\"error\":\"source: boom\"")));

        CliRunner.Result result = cli.run("vm", "migrate", "web-1", "--wait");

        assertThat(JSON.readTree(server.requests().getFirst().body())).isEqualTo(JSON.createObjectNode());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("FAILED local-1 -> local-2: source: boom");
    }

    private static String migration(String state, String finishedAt, String elapsed, String total, String downtime) {
        return "{\"id\":\"" + ID + "\",\"vmId\":\"0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9\",\"state\":\"" + state
                + "\",\"sourceHost\":\"local-1\",\"destinationHost\":\"local-2\",\"requestedAt\":"
                + "\"2026-11-02T10:00:00Z\",\"finishedAt\":" + finishedAt + ",\"error\":null,\"totalMillis\":" + total
                + ",\"diskCopyMillis\":null,\"memoryMillis\":null,\"downtimeMillis\":" + downtime
                + ",\"transferredBytes\":null,\"elapsedMillis\":" + elapsed + ",\"correlationId\":null}";
    }
}
