package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.client.CliException;
import io.vireo.cli.output.Text;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * The entry point of the {@code vireo} command.
 *
 * <p>The launcher runs the whole tree with {@link #execute(String[], CliEnvironment, List)} and adds its own commands
 * ({@code up}, {@code server}, {@code agent}, {@code bench}, {@code image build-test-guest}) as
 * {@link CliExtension}s. Exit codes: {@value #EXIT_OK} success, {@value #EXIT_ERROR} an error from the server, the
 * connection or any command (reported as {@code error: <message>} on standard error, without a stack trace unless
 * {@value #DEBUG_VARIABLE} is set), {@value #EXIT_USAGE} a usage error (reported by picocli with the usage).
 */
public final class VireoCli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_USAGE = 2;
    /** Set to any non-empty value to print the stack trace of a failure. */
    public static final String DEBUG_VARIABLE = "VIREO_DEBUG";

    private VireoCli() {}

    public static void main(String[] args) {
        System.exit(execute(args, CliEnvironment.system(), List.of()));
    }

    /** Runs the client commands only, e.g. from a test or a plain {@code vireo} binary. */
    public static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
        return execute(args, CliEnvironment.of(out, err, environment), List.of());
    }

    /** Runs one command line with the launcher's extra commands; returns the exit code. */
    public static int execute(String[] args, CliEnvironment environment, List<CliExtension> extensions) {
        requireNonNull(args, "args is null");
        try {
            return commandLine(environment, extensions).execute(args);
        } finally {
            environment.out().flush();
            environment.err().flush();
        }
    }

    /**
     * The top-level commands added to the client commands, with the system's streams and variables: a shortcut for
     * {@link #commandLine(CliEnvironment, List)}.
     */
    public static CommandLine commandLine(List<Object> extraSubcommands) {
        return commandLine(
                CliEnvironment.system(),
                extraSubcommands.stream().map(CliExtension::topLevel).toList());
    }

    /**
     * The complete, configured command tree: the client commands, then {@code extensions} in order. Output, error
     * handling and exit codes are set up for the whole tree, including the extensions; call
     * {@link CommandLine#execute(String...)} on the result. A new tree is needed for each execution.
     *
     * @throws IllegalArgumentException when an extension names a parent command that does not exist
     * @throws CommandLine.DuplicateNameException when an extension's name is taken
     */
    public static CommandLine commandLine(CliEnvironment environment, List<CliExtension> extensions) {
        requireNonNull(environment, "environment is null");
        VireoCommand root = new VireoCommand(environment);
        CommandLine commandLine = new CommandLine(root)
                .addSubcommand(new VmCommand(root))
                .addSubcommand(new CommandLine(new HostCommand(root)).addSubcommand(new HostJoinTokenCommand(root)))
                .addSubcommand(new FlavorCommand(root))
                .addSubcommand(new ImageCommand(root))
                .addSubcommand(new GroupCommand(root))
                .addSubcommand(new VolumeCommand(root))
                .addSubcommand(new NetworkCommand(root))
                .addSubcommand(new SubnetCommand(root))
                .addSubcommand(new PortCommand(root))
                .addSubcommand(new EventsCommand(root))
                .addSubcommand(new AuditCommand(root))
                .addSubcommand(new AlertCommand(root))
                .addSubcommand(new LoginCommand(root))
                .addSubcommand(new LoginCommand.Logout(root))
                .addSubcommand(new LoginCommand.Whoami(root))
                .addSubcommand(new ProjectCommand(root))
                .addSubcommand(new QuotaCommand(root))
                .addSubcommand(new UserCommand(root))
                .addSubcommand(new TokenCommand(root));
        for (CliExtension extension : List.copyOf(extensions)) {
            parent(commandLine, extension.parentPath()).addSubcommand(extension.command());
        }
        commandLine.getCommandSpec().usageMessage().footer(VireoCommand.FOOTER);
        // Settings apply to the commands present when they are set: so set them after the extensions are added.
        return commandLine
                .setOut(writer(environment.out()))
                .setErr(writer(environment.err()))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((failure, command, parseResult) -> report(failure, command, environment));
    }

    private static CommandLine parent(CommandLine root, List<String> path) {
        CommandLine parent = root;
        for (String name : path) {
            CommandLine child = parent.getSubcommands().get(name);
            if (child == null) {
                throw new IllegalArgumentException("no command '"
                        + parent.getCommandSpec().qualifiedName() + " " + name + "' to add a subcommand to");
            }
            parent = child;
        }
        return parent;
    }

    private static int report(Exception failure, CommandLine command, CliEnvironment environment) {
        PrintWriter err = command.getErr();
        CliException known = find(failure);
        if (known != null) {
            err.println("error: " + Text.printable(known.describe()));
        } else {
            String message = failure.getMessage();
            err.println("error: "
                    + (message == null || message.isBlank() ? failure.getClass().getName() : message));
        }
        String debug = environment.variables().get(DEBUG_VARIABLE);
        if (debug != null && !debug.isEmpty()) {
            failure.printStackTrace(err);
        }
        err.flush();
        return EXIT_ERROR;
    }

    private static @Nullable CliException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CliException known) {
                return known;
            }
        }
        return null;
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(stream, true, stream.charset());
    }
}
