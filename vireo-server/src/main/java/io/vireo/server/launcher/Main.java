package io.vireo.server.launcher;

import io.vireo.cli.CliEnvironment;
import io.vireo.cli.CliExtension;
import io.vireo.cli.VireoCli;
import java.util.List;
import java.util.Set;

/** {@code java -jar vireo.jar ...}: the process commands plus every client command of {@link VireoCli}. */
public final class Main {
    private static final Set<String> PROCESS_COMMANDS = Set.of("up", "server", "agent", "fence-guard");

    private Main() {}

    public static void main(String[] args) {
        // Long-running processes log at INFO; client commands stay quiet. Must be set before any logger exists.
        boolean process = args.length > 0 && PROCESS_COMMANDS.contains(args[0]);
        if (System.getProperty("vireo.log.level") == null) {
            System.setProperty("vireo.log.level", process ? "INFO" : "WARN");
        }
        CliEnvironment environment = CliEnvironment.system();
        int code = VireoCli.execute(args, environment, extensions(environment));
        if (code != 0 || !process) {
            System.exit(code);
        }
    }

    static List<CliExtension> extensions(CliEnvironment environment) {
        return List.of(
                CliExtension.topLevel(new UpCommand(environment)),
                CliExtension.topLevel(new ServerCommand(environment)),
                CliExtension.topLevel(new AgentCommand()),
                CliExtension.topLevel(new FenceGuardCommand()),
                CliExtension.under("image", new BuildTestGuestCommand(environment)));
    }
}
