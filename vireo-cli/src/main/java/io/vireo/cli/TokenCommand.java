package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.cli.client.TokenView;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Column;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.OutputFormat;
import io.vireo.cli.output.Table;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vireo token ...}: API tokens, shown once when made. */
@Command(name = "token", description = "Manage API tokens.")
final class TokenCommand implements Callable<Integer> {
    private final VireoCommand root;

    @Spec
    private @Nullable CommandSpec spec;

    TokenCommand(VireoCommand root) {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }

    @Command(name = "list", description = "List your tokens (a project admin: the project's; an admin: all).")
    int list(@Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Output output = root.output(options);
            output.list(client.tokens(), TokenView.class, table(output.now()));
        }
        return 0;
    }

    @Command(
            name = "create",
            description = {
                "Create an API token for yourself or for a service account of your project.",
                "Its text is printed this once: only its SHA-256 is kept."
            })
    int create(
            @Option(names = "--user", paramLabel = "USER", description = "A service account (default: yourself).")
                    @Nullable
                    String user,
            @Option(names = "--description", paramLabel = "TEXT", description = "What the token is for.") @Nullable
                    String description,
            @Option(names = "--expires-in-days", paramLabel = "DAYS", description = "Lifetime in days (default 90).")
                    @Nullable
                    Integer days,
            @Mixin ClientOptions options) {
        Long seconds = days == null ? null : Duration.ofDays(days).toSeconds();
        try (VireoClient client = root.connect(options)) {
            JsonNode issued = client.createToken(user, description, seconds);
            Output output = root.output(options);
            if (output.format() == OutputFormat.JSON) {
                output.json(issued);
            } else {
                output.text("Token " + issued.path("id").asText() + " for "
                        + issued.path("user").asText() + " ("
                        + issued.path("role").asText() + "), expires "
                        + issued.path("expiresAt").asText()
                        + ".\nIt is shown this once:\n" + issued.path("token").asText() + "\n");
            }
        }
        return 0;
    }

    @Command(name = "revoke", description = "Revoke a token: refused at once everywhere, still listed.")
    int revoke(
            @Parameters(paramLabel = "ID", description = "The token's id.") String id, @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            client.revokeToken(id);
            root.output(options).message("token " + id + " revoked");
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a token: refused at once everywhere.")
    int delete(
            @Parameters(paramLabel = "ID", description = "The token's id.") String id, @Mixin ClientOptions options) {
        try (VireoClient client = root.connect(options)) {
            Deletions.report(root.output(options), "token", id, client.deleteToken(id));
        }
        return 0;
    }

    /** Active, revoked or expired, as of {@code now}. */
    static String status(TokenView token, Instant now) {
        if (token.revokedAt() != null) {
            return "revoked";
        }
        try {
            return token.expiresAt() != null
                            && !Instant.parse(token.expiresAt()).isAfter(now)
                    ? "expired"
                    : "active";
        } catch (DateTimeParseException e) {
            return "?";
        }
    }

    static Table<TokenView> table(Instant now) {
        return Table.of(
                Column.of("ID", TokenView::id),
                Column.of("USER", TokenView::user),
                Column.of("STATUS", token -> status(token, now)),
                Column.of("EXPIRES", TokenView::expiresAt),
                Column.of("DESCRIPTION", TokenView::description));
    }
}
