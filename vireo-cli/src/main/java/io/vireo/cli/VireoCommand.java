package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.Connection;
import io.vireo.cli.client.ConnectionResolver;
import io.vireo.cli.client.DataDirectory;
import io.vireo.cli.client.VireoClient;
import io.vireo.cli.output.Output;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root {@code vireo} command. It holds the {@link CliEnvironment} and the {@link ClientOptions} given before the
 * subcommand; every client command has its own as well, which win ({@code vireo --url U vm list} and
 * {@code vireo vm list --url U} both work). Only {@code --help} and {@code --version} are inherited by subcommands, so
 * the launcher's commands keep their own options.
 *
 * <p>Commands added by the launcher reach it through {@link #of(CommandSpec)} to share the resolution of the data
 * directory, the connection, a client and the output format. One instance serves one parse.
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
        "                  files api-url and admin-token are used when neither an option,",
        "                  a variable nor a saved login gives the URL",
        "  VIREO_CONFIG_DIR where 'vireo login' saves its token (default: ~/.config/vireo)",
        "  VIREO_PROJECT   the project an admin acts in when --project is not given",
        "  VIREO_PASSWORD  password for 'vireo login' when --password-file is not given",
        "",
        "Exit codes: 0 success; 1 error from the server, the connection or a command;",
        "2 usage error."
    };

    @Mixin
    private ClientOptions options = new ClientOptions();

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
        return dataDirectory(new ClientOptions());
    }

    /** The same, with a command's own options taking precedence over the root's. */
    public DataDirectory dataDirectory(ClientOptions own) {
        return DataDirectory.resolve(own.orElse(options).dataDir(), environment.variables(), environment.userHome());
    }

    /** The server and token the root's options, the environment and the data directory name, in that order. */
    public Connection connection() {
        return connection(new ClientOptions());
    }

    /** The same, with a command's own options taking precedence over the root's. */
    public Connection connection(ClientOptions own) {
        ClientOptions merged = own.orElse(options);
        return ConnectionResolver.resolve(
                new ConnectionResolver.Options(
                        merged.url(), merged.token(), merged.dataDir(), merged.project(), merged.caFile()),
                environment.variables(),
                environment.userHome());
    }

    /** A client of {@link #connection(ClientOptions)}; the caller closes it. */
    public VireoClient connect(ClientOptions own) {
        return new VireoClient(connection(own), environment.clientSettings());
    }

    /** Output in the format {@code -o} chose (a command's own, else the root's), to the environment's out. */
    public Output output(ClientOptions own) {
        return new Output(environment.out(), own.orElse(options).output(), environment.clock());
    }

    @Override
    public Integer call() {
        throw CommandGroups.missingSubcommand(spec);
    }
}
