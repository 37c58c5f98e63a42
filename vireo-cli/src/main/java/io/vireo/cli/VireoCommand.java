package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.Connection;
import io.vireo.cli.client.ConnectionResolver;
import io.vireo.cli.client.DataDirectory;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Output;
import io.vireo.cli.output.OutputFormat;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root {@code vireo} command. It holds the global options, which every subcommand inherits (so both
 * {@code vireo --url U vm list} and {@code vireo vm list --url U} work), and the {@link CliEnvironment}.
 *
 * <p>Commands added by the launcher reach it through {@link #of(CommandSpec)} to share the options' resolution: the
 * data directory, the connection, a client and the output format. One instance serves one parse.
 */
@Command(
        name = "vireo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        scope = ScopeType.INHERIT,
        sortOptions = false,
        description = "Manage virtual machines on a Vireo cloud.")
public final class VireoCommand implements Callable<Integer> {
    /**
     * The root's own help footer. Set on the root alone after the tree is built: {@code scope = INHERIT} on the
     * command, which gives every subcommand {@code --help}, would otherwise copy it into every subcommand's help.
     */
    static final String[] FOOTER = {
        "",
        "Environment:",
        "  VIREO_URL       server URL when --url is not given",
        "  VIREO_TOKEN     bearer token when --token is not given",
        "  VIREO_DATA_DIR  data directory of a local 'vireo up' (default: ~/.vireo); its",
        "                  files api-url and admin-token are used when neither an option",
        "                  nor a variable gives the URL",
        "",
        "Exit codes: 0 success; 1 error from the server, the connection or a command;",
        "2 usage error."
    };

    @Option(
            names = "--url",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            description = "Server URL, e.g. http://127.0.0.1:8080.")
    private @Nullable String url;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT, description = "Bearer token.")
    private @Nullable String token;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            scope = ScopeType.INHERIT,
            description = "Data directory of a local Vireo (default: $VIREO_DATA_DIR, else ~/.vireo).")
    private @Nullable Path dataDir;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            scope = ScopeType.INHERIT,
            description = "Output format: table (for people) or json (for scripts); default: table.")
    private OutputFormat output = OutputFormat.TABLE;

    @Spec
    private @Nullable CommandSpec spec;

    private final CliEnvironment environment;

    public VireoCommand(CliEnvironment environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    /** The root command of the tree {@code spec} belongs to: call it from a launcher command's {@code @Spec}. */
    public static VireoCommand of(CommandSpec spec) {
        if (spec.root().userObject() instanceof VireoCommand root) {
            return root;
        }
        throw new IllegalStateException("command '" + spec.qualifiedName() + "' is not part of the vireo tree");
    }

    public CliEnvironment environment() {
        return environment;
    }

    /** The directory of a local Vireo: {@code --data-dir}, else {@code VIREO_DATA_DIR}, else {@code ~/.vireo}. */
    public DataDirectory dataDirectory() {
        return DataDirectory.resolve(dataDir, environment.variables(), environment.userHome());
    }

    /** The server and token the options, the environment and the data directory name, in that order. */
    public Connection connection() {
        return ConnectionResolver.resolve(
                new ConnectionResolver.Options(url, token, dataDir), environment.variables(), environment.userHome());
    }

    /** A client of {@link #connection()}; the caller closes it. */
    public VireoClient connect() {
        return new VireoClient(connection(), environment.clientSettings());
    }

    public Output output() {
        return new Output(environment.out(), output, environment.clock());
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }
}
