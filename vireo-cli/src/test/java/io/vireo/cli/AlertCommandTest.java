package io.vireo.cli;

import static io.vireo.cli.Fixtures.page;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.cli.FakeVireoServer.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vireo alert list|rules}: the server's alerts and rules as tables. */
class AlertCommandTest {
    private static final String HOST_DOWN = """
            {"name":"VireoHostDown","severity":"critical","state":"FIRING",\
            "labels":{"alertname":"VireoHostDown","host":"h1","host_id":"6f1c","severity":"critical"},\
            "annotations":{"summary":"A host is down or fenced","description":"Host h1 is DOWN"},\
            "activeAt":"2026-11-02T09:58:30Z","firedAt":"2026-11-02T09:59:00Z"}""";
    private static final String WATCHDOG = """
            {"name":"Watchdog","severity":"none","state":"FIRING",\
            "labels":{"alertname":"Watchdog","severity":"none"},"annotations":{"summary":"Always firing"},\
            "activeAt":"2026-11-02T09:00:00Z","firedAt":"2026-11-02T09:00:00Z"}""";
    private static final String RULE = """
            {"name":"VireoHostDown","severity":"critical","forSeconds":30,"summary":"A host is down or fenced",\
            "expression":"host state is DOWN, SUSPECT or FENCED"}""";

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
    void listsTheActiveAlerts() {
        server.replies("GET", "/alerts", Reply.ok(page(null, HOST_DOWN, WATCHDOG)));

        CliRunner.Result result = cli.run("alert", "list");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines().toList()).hasSize(3).satisfies(lines -> {
            assertThat(lines.get(0)).startsWith("NAME").contains("SEVERITY", "STATE", "SINCE", "LABELS");
            assertThat(lines.get(1))
                    .startsWith("VireoHostDown")
                    .contains("critical", "FIRING", "host=h1,host_id=6f1c", "Host h1 is DOWN");
            assertThat(lines.get(2)).startsWith("Watchdog").contains("none", "FIRING");
        });
    }

    @Test
    void listsTheRules() {
        server.replies("GET", "/alerts/rules", Reply.ok(page(null, RULE)));

        CliRunner.Result result = cli.run("alert", "rules");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("VireoHostDown", "critical", "30s", "host state is DOWN, SUSPECT or FENCED");
    }
}
