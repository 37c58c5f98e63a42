package io.vireo.server.launcher;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.CliEnvironment;
import io.vireo.server.VireoServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vireo image build-test-guest}: builds the tiny test guest from Debian packages. */
@Command(
        name = "build-test-guest",
        mixinStandardHelpOptions = true,
        description = "Build the test guest (Debian cloud kernel + busybox) into DATA_DIR/images/test-guest;"
                + " the server registers it as image 'test-guest'.")
final class BuildTestGuestCommand implements Callable<Integer> {
    private final CliEnvironment environment;

    @Option(names = "--data-dir", description = "Data directory (default: $VIREO_DATA_DIR or ~/.vireo).")
    @Nullable
    Path dataDir;

    BuildTestGuestCommand(CliEnvironment environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public Integer call() {
        Path chosen = dataDir;
        Path dir = chosen == null ? ServerOptions.defaultDataDir(environment.variables()) : chosen;
        TestGuestBuilder.build(dir.toAbsolutePath());
        environment.out().println("test guest built in " + VireoServer.testGuestDirectory(dir.toAbsolutePath()));
        return 0;
    }
}
