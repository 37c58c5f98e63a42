package io.vireo.cli;

import static io.vireo.cli.Fixtures.page;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.cli.FakeVireoServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code login}, {@code logout}, {@code whoami} and {@code token}: what the CLI keeps, where, and what it sends. */
class LoginCommandTest {
    private static final String TOKEN = "vireo_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static final String ISSUED = "{\"token\":\"" + TOKEN + "\",\"id\":\"t-1\",\"user\":\"ann\","
            + "\"project\":\"p-1\",\"role\":\"member\",\"expiresAt\":\"2026-11-27T22:00:00Z\"}";

    @TempDir
    Path home;

    private FakeVireoServer server;
    private Path passwordFile;

    @BeforeEach
    void setUp() throws IOException {
        server = FakeVireoServer.start();
        passwordFile = Files.writeString(home.resolve("password"), "correct horse battery staple\n");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void loginSavesTheTokenPrivatelyAndLaterCommandsSendIt() throws IOException {
        server.replies("POST", "/auth/tokens", new Reply(201, ISSUED));
        server.replies("GET", "/flavors", Reply.ok(page(null)));

        CliRunner.Result login = new CliRunner(home)
                .env("VIREO_URL", server.url())
                .run("login", "--user", "ann", "--password-file", passwordFile.toString());

        assertThat(login.exitCode()).as(login.err()).isZero();
        assertThat(login.out()).startsWith("Logged in to " + server.url() + " as ann (member), until ");
        assertThat(login.out()).doesNotContain(TOKEN);
        FakeVireoServer.Request sent = server.requests("POST", "/auth/tokens").getFirst();
        assertThat(sent.header("Authorization")).isNull();
        assertThat(json(sent.body()))
                .isEqualTo(json("{\"user\":\"ann\",\"password\":\"correct horse battery staple\"}"));
        Path directory = home.resolve(".config/vireo");
        Path saved = directory.resolve("credentials.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(saved)).contains(TOKEN).contains(server.url());

        // no URL, no token given: both come from the saved login
        CliRunner.Result list = new CliRunner(home).run("flavor", "list");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(server.requests("GET", "/flavors").getFirst().header("Authorization"))
                .isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void aSavedTokenIsNeverSentToAnotherServer() {
        server.replies("POST", "/auth/tokens", new Reply(201, ISSUED));
        new CliRunner(home)
                .env("VIREO_URL", server.url())
                .run("login", "--user", "ann", "--password-file", passwordFile.toString());
        try (FakeVireoServer other = FakeVireoServer.start()) {
            other.replies("GET", "/flavors", Reply.ok(page(null)));

            new CliRunner(home).env("VIREO_URL", other.url()).run("flavor", "list");

            assertThat(other.requests("GET", "/flavors").getFirst().header("Authorization"))
                    .isNull();
        }
    }

    @Test
    void aSavedLoginThatOthersCanReadIsRefused() throws IOException {
        server.replies("POST", "/auth/tokens", new Reply(201, ISSUED));
        new CliRunner(home)
                .env("VIREO_URL", server.url())
                .run("login", "--user", "ann", "--password-file", passwordFile.toString());
        Files.setPosixFilePermissions(
                home.resolve(".config/vireo/credentials.json"), PosixFilePermissions.fromString("rw-r--r--"));

        CliRunner.Result list = new CliRunner(home).run("flavor", "list");

        assertThat(list.exitCode()).isEqualTo(1);
        assertThat(list.err()).contains("is readable by others (rw-r--r--)");
        assertThat(server.requests("GET", "/flavors")).isEmpty();
    }

    @Test
    void anAdminNamesTheProjectToActIn() {
        server.replies("GET", "/vms", Reply.ok(page(null)));
        CliRunner cli = new CliRunner(home).env("VIREO_URL", server.url()).env("VIREO_TOKEN", "vireo_x");

        cli.run("vm", "list", "--project", "alpha");
        cli.env("VIREO_PROJECT", "beta").run("vm", "list");
        new CliRunner(home).env("VIREO_URL", server.url()).run("vm", "list");

        assertThat(server.requests("GET", "/vms"))
                .extracting(request -> request.header("X-Vireo-Project"))
                .containsExactly("alpha", "beta", null);
    }

    @Test
    void aWrongPasswordSavesNothing() {
        server.replies("POST", "/auth/tokens", Reply.error(401, "UNAUTHENTICATED", "unknown user or wrong password"));

        CliRunner.Result login = new CliRunner(home)
                .env("VIREO_URL", server.url())
                .run("login", "--user", "ann", "--password-file", passwordFile.toString());

        assertThat(login.exitCode()).isEqualTo(1);
        assertThat(login.err()).contains("unknown user or wrong password");
        assertThat(home.resolve(".config/vireo/credentials.json")).doesNotExist();
    }

    @Test
    void logoutRevokesTheTokenAndForgetsIt() {
        server.replies("POST", "/auth/tokens", new Reply(201, ISSUED));
        server.replies("POST", "/tokens/t-1/revoke", new Reply(204, ""));
        new CliRunner(home)
                .env("VIREO_URL", server.url())
                .run("login", "--user", "ann", "--password-file", passwordFile.toString());

        CliRunner.Result logout = new CliRunner(home).run("logout");

        assertThat(logout.exitCode()).as(logout.err()).isZero();
        assertThat(server.requests("POST", "/tokens/t-1/revoke").getFirst().header("Authorization"))
                .isEqualTo("Bearer " + TOKEN);
        assertThat(home.resolve(".config/vireo/credentials.json")).doesNotExist();
    }

    @Test
    void tokenCreatePrintsTheTokenOnceAndListShowsItsStatus() {
        server.replies("POST", "/tokens", new Reply(201, ISSUED));
        server.replies(
                "GET",
                "/tokens",
                Reply.ok(page(
                        null,
                        "{\"id\":\"t-1\",\"user\":\"ann\",\"description\":\"ci\",\"expiresAt\":\"2026-12-27T10:00:00Z\","
                                + "\"revokedAt\":null}",
                        "{\"id\":\"t-2\",\"user\":\"ann\",\"description\":\"\",\"expiresAt\":\"2026-11-01T10:00:00Z\","
                                + "\"revokedAt\":null}",
                        "{\"id\":\"t-3\",\"user\":\"bot\",\"description\":\"\",\"expiresAt\":\"2026-12-27T10:00:00Z\","
                                + "\"revokedAt\":\"2026-11-20T10:00:00Z\"}")));
        CliRunner cli = new CliRunner(home).env("VIREO_URL", server.url()).env("VIREO_TOKEN", "vireo_x");

        CliRunner.Result created = cli.run("token", "create", "--description", "ci", "--expires-in-days", "30");
        CliRunner.Result listed = cli.run("token", "list");

        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("It is shown this once:\n" + TOKEN + "\n");
        assertThat(json(server.requests("POST", "/tokens").getFirst().body()))
                .isEqualTo(json("{\"description\":\"ci\",\"expiresInSeconds\":2592000}"));
        assertThat(listed.out())
                .contains("t-1   ann    active ")
                .contains("t-2   ann    expired")
                .contains("t-3   bot    revoked");
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }
}
