package io.vireo.cli;

import io.vireo.cli.output.OutputFormat;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options of every client command: {@code --url}, {@code --token}, {@code --data-dir} and {@code -o}. Mixed into
 * the root command and into each client command, so they are accepted before and after the subcommand
 * ({@code vireo --url U vm list}, {@code vireo vm list --url U}); the value nearer the subcommand wins. They are not
 * inherited: a launcher command keeps its own options (its own {@code --data-dir}, say) and may mix these in too. The
 * scope is spelled out because the root command's {@code scope = INHERIT} (which passes {@code --help} on) must not
 * pass these on.
 */
public final class ClientOptions {
    @Option(
            names = "--url",
            scope = ScopeType.LOCAL,
            paramLabel = "URL",
            description = "Server URL, e.g. http://127.0.0.1:8080.")
    private @Nullable String url;

    @Option(names = "--token", scope = ScopeType.LOCAL, paramLabel = "TOKEN", description = "Bearer token.")
    private @Nullable String token;

    @Option(
            names = "--project",
            scope = ScopeType.LOCAL,
            paramLabel = "PROJECT",
            description = "Act in this project (admins; default: $VIREO_PROJECT, else the token's own).")
    private @Nullable String project;

    @Option(
            names = "--data-dir",
            scope = ScopeType.LOCAL,
            paramLabel = "DIR",
            description = "Data directory of a local Vireo (default: $VIREO_DATA_DIR, else ~/.vireo).")
    private @Nullable Path dataDir;

    @Option(
            names = "--ca-file",
            scope = ScopeType.LOCAL,
            paramLabel = "FILE",
            description = "Trust only the certificates in this PEM file for an https server (default: $VIREO_CA_FILE,"
                    + " the CA saved by vireo login, a local server's api-ca.pem, else the system's CAs).")
    private @Nullable Path caFile;

    @Option(
            names = {"-o", "--output"},
            scope = ScopeType.LOCAL,
            paramLabel = "FORMAT",
            description = "Output format: table (for people) or json (for scripts); default: table.")
    private @Nullable OutputFormat output;

    public ClientOptions() {}

    private ClientOptions(
            @Nullable String url,
            @Nullable String token,
            @Nullable String project,
            @Nullable Path dataDir,
            @Nullable Path caFile,
            @Nullable OutputFormat output) {
        this.url = url;
        this.caFile = caFile;
        this.token = token;
        this.project = project;
        this.dataDir = dataDir;
        this.output = output;
    }

    public @Nullable String url() {
        return url;
    }

    public @Nullable String token() {
        return token;
    }

    public @Nullable String project() {
        return project;
    }

    public @Nullable Path dataDir() {
        return dataDir;
    }

    public @Nullable Path caFile() {
        return caFile;
    }

    public OutputFormat output() {
        return output == null ? OutputFormat.TABLE : output;
    }

    /** Each option as given here, else as given in {@code outer} (the options of an enclosing command). */
    public ClientOptions orElse(ClientOptions outer) {
        return new ClientOptions(
                url != null ? url : outer.url,
                token != null ? token : outer.token,
                project != null ? project : outer.project,
                dataDir != null ? dataDir : outer.dataDir,
                caFile != null ? caFile : outer.caFile,
                output != null ? output : outer.output);
    }
}
