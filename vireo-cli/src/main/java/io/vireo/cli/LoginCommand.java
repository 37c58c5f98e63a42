package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vireo.cli.client.ApiException;
import io.vireo.cli.client.Connection;
import io.vireo.cli.client.SavedLogin;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Details;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.OutputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vireo login}: exchanges a person's name and password for a token, which the CLI keeps (0600) and sends from
 * then on to that server.
 */
@Command(
        name = "login",
        description = {
            "Log in with a user name and password.",
            "The token is saved (mode 0600) in the CLI's configuration directory ($VIREO_CONFIG_DIR, else",
            "~/.config/vireo) and used for that server until it expires."
        })
final class LoginCommand implements Callable<Integer> {
    static final String PASSWORD_VARIABLE = "VIREO_PASSWORD";

    private final VireoCommand root;

    @Option(names = "--user", required = true, paramLabel = "NAME", description = "The user's name.")
    private String user = "";

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "Read the password from FILE's first line (else $VIREO_PASSWORD, else a prompt).")
    private @Nullable Path passwordFile;

    @Mixin
    private ClientOptions options = new ClientOptions();

    LoginCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        Connection server = root.connection(options);
        String password = Passwords.read(
                passwordFile, root.environment().variables(), PASSWORD_VARIABLE, "Password for " + user + ": ");
        JsonNode issued;
        try (VireoClient client =
                new VireoClient(server.withToken(null), root.environment().clientSettings())) {
            issued = client.login(user, password);
        }
        SavedLogin login = new SavedLogin(
                server.baseUrl(),
                issued.path("user").asText(user),
                issued.path("token").asText(),
                issued.path("id").asText(),
                issued.path("expiresAt").asText());
        Path directory = SavedLogin.directory(
                root.environment().variables(), root.environment().userHome());
        login.write(directory);
        SavedLogin.keepCa(directory, server.caFile());
        Output output = root.output(options);
        if (output.format() == OutputFormat.JSON) {
            output.json(((ObjectNode) issued.deepCopy()).without("token"));
        } else {
            output.message("Logged in to " + server.baseUrl() + " as " + login.user() + " ("
                    + issued.path("role").asText() + "), until " + login.expiresAt() + "; token saved in "
                    + directory.resolve(SavedLogin.FILE));
        }
        return 0;
    }

    /** {@code vireo logout}: revokes the saved token if the server lets its holder, and forgets it. */
    @Command(name = "logout", description = "Revoke the saved login's token (where allowed) and delete it.")
    static final class Logout implements Callable<Integer> {
        private final VireoCommand root;

        @Mixin
        private ClientOptions options = new ClientOptions();

        Logout(VireoCommand root) {
            this.root = requireNonNull(root, "root is null");
        }

        @Override
        public Integer call() {
            Path directory = SavedLogin.directory(
                    root.environment().variables(), root.environment().userHome());
            SavedLogin login = SavedLogin.read(directory).orElse(null);
            Output output = root.output(options);
            if (login == null) {
                output.message("not logged in");
                return 0;
            }
            Path ca = SavedLogin.caFile(directory);
            try (VireoClient client = new VireoClient(
                    new Connection(login.url(), login.token(), "vireo login", null, Files.exists(ca) ? ca : null),
                    root.environment().clientSettings())) {
                client.revokeToken(login.tokenId());
            } catch (ApiException e) {
                // Expired, already revoked, or a reader's (who may not revoke): forgetting it is all that is left.
            }
            SavedLogin.delete(directory);
            output.message("logged out of " + login.url());
            return 0;
        }
    }

    /** {@code vireo whoami}: who the token the CLI would send acts as. */
    @Command(name = "whoami", description = "Show the user, project and role the CLI's token acts as.")
    static final class Whoami implements Callable<Integer> {
        private final VireoCommand root;

        @Mixin
        private ClientOptions options = new ClientOptions();

        Whoami(VireoCommand root) {
            this.root = requireNonNull(root, "root is null");
        }

        @Override
        public Integer call() {
            try (VireoClient client = root.connect(options)) {
                JsonNode caller = client.caller();
                Output output = root.output(options);
                if (output.format() == OutputFormat.JSON) {
                    output.json(caller);
                } else {
                    output.text(new Details()
                            .add("User", caller.path("user").asText())
                            .add("Project", caller.path("project").asText())
                            .add("Role", caller.path("role").asText())
                            .render());
                }
            }
            return 0;
        }
    }
}
