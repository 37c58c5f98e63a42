package io.vireo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.cli.FakeVireoServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
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

/** Which server gets the request, and with which token: flags, then environment variables, then the data dir. */
class ConnectionTest {
    @TempDir
    Path home;

    private FakeVireoServer flagServer;
    private FakeVireoServer environmentServer;
    private FakeVireoServer localServer;

    @BeforeEach
    void setUp() {
        flagServer = FakeVireoServer.start();
        environmentServer = FakeVireoServer.start();
        localServer = FakeVireoServer.start();
        for (FakeVireoServer server : List.of(flagServer, environmentServer, localServer)) {
            server.replies("GET", "/hosts", Reply.ok(Fixtures.page(null)));
        }
    }

    @AfterEach
    void tearDown() {
        flagServer.close();
        environmentServer.close();
        localServer.close();
    }

    enum Source {
        FLAGS,
        ENVIRONMENT,
        DATA_DIRECTORY
    }

    static Stream<Arguments> sources() {
        return Stream.of(
                Arguments.of(List.of(Source.FLAGS, Source.ENVIRONMENT, Source.DATA_DIRECTORY), Source.FLAGS),
                Arguments.of(List.of(Source.FLAGS, Source.DATA_DIRECTORY), Source.FLAGS),
                Arguments.of(List.of(Source.ENVIRONMENT, Source.DATA_DIRECTORY), Source.ENVIRONMENT),
                Arguments.of(List.of(Source.DATA_DIRECTORY), Source.DATA_DIRECTORY));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("sources")
    void theFirstSourceThatIsSetWins(List<Source> present, Source winner) throws IOException {
        CliRunner cli = new CliRunner(home);
        List<String> args = new java.util.ArrayList<>(List.of("host", "list"));
        if (present.contains(Source.FLAGS)) {
            args.addAll(List.of("--url", flagServer.url(), "--token", "flag-token"));
        }
        if (present.contains(Source.ENVIRONMENT)) {
            cli.env("VIREO_URL", environmentServer.url()).env("VIREO_TOKEN", "environment-token");
        }
        if (present.contains(Source.DATA_DIRECTORY)) {
            writeDataDirectory(home.resolve(".vireo"), localServer.url() + "\n", "local-token\n");
        }

        CliRunner.Result result = cli.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.err()).isZero();
        FakeVireoServer expected = switch (winner) {
            case FLAGS -> flagServer;
            case ENVIRONMENT -> environmentServer;
            case DATA_DIRECTORY -> localServer;
        };
        String token = switch (winner) {
            case FLAGS -> "flag-token";
            case ENVIRONMENT -> "environment-token";
            case DATA_DIRECTORY -> "local-token";
        };
        assertThat(expected.requests()).hasSize(1);
        assertThat(expected.requests().getFirst().header("Authorization")).isEqualTo("Bearer " + token);
        int total = flagServer.requests().size()
                + environmentServer.requests().size()
                + localServer.requests().size();
        assertThat(total).isEqualTo(1);
    }

    @Test
    void theDataDirectoryOptionBeatsItsVariableWhichBeatsTheHomeDirectory() throws IOException {
        Path option = Files.createDirectory(home.resolve("option"));
        Path variable = Files.createDirectory(home.resolve("variable"));
        writeDataDirectory(option, flagServer.url(), "option-token");
        writeDataDirectory(variable, environmentServer.url(), "variable-token");
        writeDataDirectory(home.resolve(".vireo"), localServer.url(), "home-token");
        CliRunner cli = new CliRunner(home).env("VIREO_DATA_DIR", variable.toString());

        assertThat(cli.run("host", "list", "--data-dir", option.toString()).exitCode())
                .isZero();
        assertThat(cli.run("host", "list").exitCode()).isZero();
        assertThat(new CliRunner(home).run("host", "list").exitCode()).isZero();

        assertThat(flagServer.requests().getFirst().header("Authorization")).isEqualTo("Bearer option-token");
        assertThat(environmentServer.requests().getFirst().header("Authorization"))
                .isEqualTo("Bearer variable-token");
        assertThat(localServer.requests().getFirst().header("Authorization")).isEqualTo("Bearer home-token");
    }

    @Test
    void theLocalAdminTokenIsNeverSentToAnotherServer() throws IOException {
        writeDataDirectory(home.resolve(".vireo"), localServer.url(), "local-token");

        CliRunner.Result result = new CliRunner(home).run("host", "list", "--url", flagServer.url());

        assertThat(result.exitCode()).isZero();
        assertThat(flagServer.requests().getFirst().header("Authorization")).isNull();
    }

    @Test
    void theLocalAdminTokenGoesWithAnExplicitUrlOfTheLocalServer() throws IOException {
        writeDataDirectory(home.resolve(".vireo"), localServer.url(), "local-token");

        CliRunner.Result result = new CliRunner(home)
                .env("VIREO_URL", localServer.url() + "/api/v1/")
                .run("host", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(localServer.requests().getFirst().header("Authorization")).isEqualTo("Bearer local-token");
    }

    @Test
    void aRefusalWithoutATokenSaysThatNoneWasSent() {
        flagServer.replies("GET", "/hosts", Reply.error(401, "UNAUTHENTICATED", "a bearer token is required"));

        CliRunner.Result result = new CliRunner(home).run("host", "list", "--url", flagServer.url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("error: a bearer token is required; no token was sent: pass --token or set VIREO_TOKEN"
                        + " (UNAUTHENTICATED)\n");
    }

    @Test
    void withoutAnyServerTheErrorSaysHowToConfigureOne() {
        CliRunner.Result result = new CliRunner(home).run("vm", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .startsWith("error: no Vireo server configured: pass --url, set VIREO_URL, or start a local one"
                        + " with 'vireo up'")
                .contains(home.resolve(".vireo").resolve("api-url").toString());
    }

    @Test
    void anInvalidUrlNamesWhereItCameFrom() {
        CliRunner.Result result =
                new CliRunner(home).env("VIREO_URL", "localhost:8080").run("vm", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo(
                        "error: invalid server URL 'localhost:8080' (from VIREO_URL): expected http:// or https://\n");
    }

    private static void writeDataDirectory(Path directory, String url, String token) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("api-url"), url);
        Files.writeString(directory.resolve("admin-token"), token);
    }
}
