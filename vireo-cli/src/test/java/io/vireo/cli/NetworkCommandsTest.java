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

/** {@code vireo network}, {@code vireo subnet} and {@code vireo port}. */
class NetworkCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NETWORK = """
            {"id":"0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3","name":"blue","project":"p","vni":7,"mtu":1450,\
            "external":false,"createdAt":"2026-11-27T09:00:00Z"}""";
    private static final String SUBNET = """
            {"id":"1a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3","name":"blue-v4","project":"p","network":"blue",\
            "networkId":"0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3","cidr":"10.0.0.0/24","ipv6Cidr":null,\
            "gateway":null,"dnsServers":["9.9.9.9"],"pools":["10.0.0.10-10.0.0.20"],\
            "createdAt":"2026-11-27T09:00:00Z"}""";
    private static final String PORT = """
            {"id":"2a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3","name":"web","project":"p","network":"blue",\
            "networkId":"0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3","mac":"02:12:34:56:78:9a","vmId":null,\
            "fixedIps":[{"subnetId":"1a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3","address":"10.0.0.10"}],\
            "createdAt":"2026-11-27T09:00:00Z"}""";

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
    void networksAreCreatedListedAndDeleted() throws Exception {
        server.replies("POST", "/networks", new Reply(201, NETWORK));
        server.replies("GET", "/networks", Reply.ok(page(null, NETWORK)));
        server.replies("GET", "/networks/blue", Reply.ok(NETWORK));
        server.replies("DELETE", "/networks/blue", new Reply(204, ""));

        CliRunner.Result created = cli.run("network", "create", "blue", "--mtu", "1400");
        CliRunner.Result listed = cli.run("network", "list");
        CliRunner.Result shown = cli.run("network", "show", "blue");
        CliRunner.Result deleted = cli.run("network", "delete", "blue");

        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode body =
                JSON.readTree(server.requests("POST", "/networks").getFirst().body());
        assertThat(body.path("name").asText()).isEqualTo("blue");
        assertThat(body.path("mtu").asInt()).isEqualTo(1400);
        assertThat(body.has("external")).isFalse();
        assertThat(listed.out()).startsWith("NAME   VNI   MTU    AGE\n").contains("blue   7     1450   1h");
        assertThat(shown.out()).contains("VNI").contains("External");
        assertThat(deleted.out()).contains("network 'blue' deleted");
    }

    @Test
    void aSubnetIsCreatedWithItsGatewayDnsAndPools() throws Exception {
        server.replies("POST", "/subnets", new Reply(201, SUBNET));
        server.replies("GET", "/subnets/blue-v4", Reply.ok(SUBNET));

        CliRunner.Result created = cli.run(
                "subnet",
                "create",
                "blue-v4",
                "--network",
                "blue",
                "--cidr",
                "10.0.0.0/24",
                "--no-gateway",
                "--dns",
                "9.9.9.9",
                "--dns",
                "1.1.1.1",
                "--pool",
                "10.0.0.10-10.0.0.20",
                "--pool",
                "10.0.0.30-10.0.0.40");
        CliRunner.Result shown = cli.run("subnet", "show", "blue-v4");

        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode body =
                JSON.readTree(server.requests("POST", "/subnets").getFirst().body());
        assertThat(body.path("network").asText()).isEqualTo("blue");
        assertThat(body.path("cidr").asText()).isEqualTo("10.0.0.0/24");
        assertThat(body.path("noGateway").asBoolean()).isTrue();
        assertThat(body.has("gateway")).isFalse();
        assertThat(body.path("dnsServers")).extracting(JsonNode::asText).containsExactly("9.9.9.9", "1.1.1.1");
        assertThat(body.path("pools"))
                .extracting(JsonNode::asText)
                .containsExactly("10.0.0.10-10.0.0.20", "10.0.0.30-10.0.0.40");
        assertThat(shown.out()).contains("Gateway").contains("none").contains("10.0.0.10-10.0.0.20");
    }

    @Test
    void aGatewayAndNoGatewayAreAUsageErrorAndSendNothing() {
        CliRunner.Result result = cli.run(
                "subnet",
                "create",
                "s",
                "--network",
                "blue",
                "--cidr",
                "10.0.0.0/24",
                "--gateway",
                "10.0.0.1",
                "--no-gateway");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("exclude each other");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void portsAreCreatedWithAnAddressListedAndDeleted() throws Exception {
        server.replies("POST", "/ports", new Reply(201, PORT));
        server.replies("GET", "/ports", Reply.ok(page(null, PORT)));
        server.replies("DELETE", "/ports/web", new Reply(204, ""));

        CliRunner.Result created = cli.run("port", "create", "--network", "blue", "--ip", "10.0.0.10", "--name", "web");
        CliRunner.Result listed = cli.run("port", "list");
        CliRunner.Result deleted = cli.run("port", "delete", "web");

        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode body =
                JSON.readTree(server.requests("POST", "/ports").getFirst().body());
        assertThat(body.path("network").asText()).isEqualTo("blue");
        assertThat(body.path("ip").asText()).isEqualTo("10.0.0.10");
        assertThat(body.path("name").asText()).isEqualTo("web");
        assertThat(body.has("vm")).isFalse();
        assertThat(listed.out())
                .contains("02:12:34:56:78:9a")
                .contains("10.0.0.10")
                .contains("web");
        assertThat(deleted.out()).contains("port 'web' deleted");
    }

    @Test
    void anExhaustedPoolIsReportedAsTheServerSaysIt() {
        server.replies("POST", "/ports", Reply.error(409, "CONFLICT", "no free address"));

        CliRunner.Result result = cli.run("port", "create", "--network", "blue");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("no free address");
    }
}
