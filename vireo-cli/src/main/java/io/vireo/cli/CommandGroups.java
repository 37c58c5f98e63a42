package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What a command that only groups subcommands ({@code vireo}, {@code vireo vm}, ...) does when run on its own. */
final class CommandGroups {
    private CommandGroups() {}

    /** A usage error (exit code 2, usage printed) listing the subcommands. */
    static ParameterException missingSubcommand(@Nullable CommandSpec spec) {
        CommandSpec command = requireNonNull(spec, "spec is null (injected by picocli)");
        return new ParameterException(
                command.commandLine(),
                "Missing command: expected one of "
                        + String.join(", ", command.subcommands().keySet()));
    }
}
