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

class QuotaCommandTest {
    private static final String QUOTA = """
            {"project":"alpha","instances":{"limit":10,"used":3},"vcpus":{"limit":null,"used":6},\
            "memoryMib":{"limit":51200,"used":3072},"diskGib":{"limit":1000,"used":30},\
            "volumes":{"limit":10,"used":0},"volumeGib":{"limit":1000,"used":0}}""";

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
    void showPrintsEachLimitAndUse() {
        server.on("GET", "/projects/alpha/quota", request -> new Reply(200, QUOTA));

        CliRunner.Result result = cli.run("quota", "show", "alpha");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Project: alpha");
        assertThat(result.out()).containsPattern("instances\\s+10\\s+3\\s+VMs");
        assertThat(result.out()).containsPattern("vcpus\\s+unlimited\\s+6");
    }

    @Test
    void showWithoutAProjectShowsTheCallersOwn() {
        server.on("GET", "/auth/caller", request -> new Reply(200, """
                {"user":"ann","project":"alpha","role":"member"}"""));
        server.on("GET", "/projects/alpha/quota", request -> new Reply(200, QUOTA));

        CliRunner.Result result = cli.run("quota", "show");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Project: alpha");
    }

    @Test
    void setSendsOnlyTheLimitsGivenWithUnlimitedAsMinusOne() throws Exception {
        server.on("PUT", "/projects/alpha/quota", request -> new Reply(200, QUOTA));

        CliRunner.Result result = cli.run("quota", "set", "alpha", "--instances", "10", "--vcpus", "unlimited");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode body = new ObjectMapper().readTree(server.requests().getLast().body());
        assertThat(body.path("instances").asLong()).isEqualTo(10);
        assertThat(body.path("vcpus").asLong()).isEqualTo(-1);
        assertThat(body.size()).isEqualTo(2);
    }

    @Test
    void setRefusesNothingToSetAndBadNumbersWithoutCallingTheServer() {
        assertThat(cli.run("quota", "set", "alpha").exitCode()).isEqualTo(2);
        CliRunner.Result negative = cli.run("quota", "set", "alpha", "--vcpus", "-3");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("--vcpus");
        assertThat(cli.run("quota", "set", "alpha", "--volumes", "lots").exitCode())
                .isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }
}
