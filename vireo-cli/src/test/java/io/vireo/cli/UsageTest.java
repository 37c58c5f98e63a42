package io.vireo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Usage errors exit with 2, print picocli's message and the usage, and never reach the server. */
class UsageTest {
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

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of(
                        List.of(),
                        "Missing command: expected one of vm, host, flavor, image, group, volume, network, subnet, port, events"),
                Arguments.of(List.of("vm"), "Missing command: expected one of console-log, create, delete, list"),
                // no name close to a command's, or picocli prints a suggestion instead of the usage
                Arguments.of(List.of("qqq"), "Unmatched argument at index 0: 'qqq'"),
                Arguments.of(List.of("vm", "create", "--name", "web-1"), "Missing required options: '--flavor"),
                Arguments.of(List.of("vm", "show"), "Missing required parameter: 'VM'"),
                Arguments.of(List.of("vm", "list", "--colour"), "Unknown option: '--colour'"),
                Arguments.of(List.of("-o", "yaml", "vm", "list"), "Invalid value for option '--output'"),
                Arguments.of(List.of("vm", "stop", "web-1", "--wait", "--timeout", "soon"), "is not a duration"),
                Arguments.of(List.of("vm", "stop", "web-1", "--wait", "--timeout", "0s"), "must be more than 0"),
                Arguments.of(List.of("vm", "stop", "web-1", "--wait", "--timeout", "2d"), "is not a duration"),
                Arguments.of(List.of("vm", "stop", "web-1", "--timeout", "25h"), "at most 24h"),
                Arguments.of(List.of("flavor", "create", "--name", "x", "--vcpus", "two"), "Invalid value"),
                Arguments.of(List.of("events", "--limit", "0"), "--limit must be between 1 and 10000, not 0"),
                Arguments.of(List.of("events", "--after", "-1"), "--after must not be negative"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void usageErrorsExitWithTwo(List<String> args, String message) {
        CliRunner.Result result = cli.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(message).contains("Usage: vireo");
        assertThat(result.out()).isEmpty();
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void helpGoesToStandardOutputWithExitCodeZero() {
        CliRunner.Result result = cli.run("vm", "create", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Usage: vireo vm create").contains("--wait", "--timeout=DURATION");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void onlyTheRootHelpHasTheEnvironmentFooter() {
        assertThat(cli.run("--help").out()).contains("VIREO_DATA_DIR", "Exit codes:");
        assertThat(cli.run("vm", "--help").out()).doesNotContain("Exit codes:");
    }

    @Test
    void versionNamesTheBuild() {
        CliRunner.Result result = cli.run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("vireo ").doesNotContain("unknown").doesNotContain("${");
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheSubcommand() {
        server.replies("GET", "/vms", FakeVireoServer.Reply.ok(Fixtures.page(null)));

        assertThat(cli.run("-o", "json", "vm", "list").out()).isEqualTo("[ ]\n");
        assertThat(cli.run("vm", "list", "--output=JSON").out()).isEqualTo("[ ]\n");
        assertThat(cli.run("-o", "json", "vm", "list", "-o", "table").out()).startsWith("NAME");
    }
}
