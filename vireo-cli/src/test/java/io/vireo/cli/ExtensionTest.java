package io.vireo.cli;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.cli.client.DataDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How the launcher adds {@code up}, {@code server}, {@code image build-test-guest} and the like. */
class ExtensionTest {
    @TempDir
    Path home;

    /**
     * Stands in for the launcher's {@code vireo up}: it has its own {@code --data-dir} and standard help options, as
     * the launcher's commands do, and resolves the directory the way the client does.
     */
    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start a local Vireo.")
    static final class UpCommand implements Callable<Integer> {
        @Spec
        @Nullable
        CommandSpec spec;

        @Option(names = "--data-dir")
        @Nullable
        Path dataDir;

        @Option(names = "--agents")
        int agents = 1;

        @Override
        public Integer call() {
            CliEnvironment environment = VireoCommand.of(requireNonNull(spec)).environment();
            Path directory = DataDirectory.resolve(dataDir, environment.variables(), environment.userHome())
                    .path();
            environment.out().println("data dir " + directory + ", agents " + agents);
            return 0;
        }
    }

    /** Stands in for {@code vireo bench}: a launcher command that talks to the API with the client's options. */
    @Command(name = "bench", description = "Measure the API.")
    static final class BenchCommand implements Callable<Integer> {
        @Spec
        @Nullable
        CommandSpec spec;

        @Mixin
        ClientOptions options = new ClientOptions();

        @Override
        public Integer call() {
            VireoCommand root = VireoCommand.of(requireNonNull(spec));
            root.environment()
                    .out()
                    .println("bench against " + root.connection(options).baseUrl());
            return 0;
        }
    }

    @Command(name = "build-test-guest", description = "Build the test guest image.")
    static final class BuildTestGuestCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            return 7;
        }
    }

    @Command(name = "server", description = "Run the control plane.")
    static final class FailingCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("port 8080 is in use");
        }
    }

    /** Fresh command objects for every run: picocli takes a field's value at build time as its default. */
    private static List<CliExtension> extensions() {
        return List.of(
                CliExtension.topLevel(new UpCommand()),
                CliExtension.topLevel(new BenchCommand()),
                CliExtension.topLevel(new FailingCommand()),
                CliExtension.under("image", new BuildTestGuestCommand()));
    }

    @Test
    void aTopLevelCommandKeepsItsOwnOptions() {
        CliRunner.Result result =
                new CliRunner(home).run(extensions(), "up", "--agents", "3", "--data-dir", "/srv/vireo");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("data dir /srv/vireo, agents 3\n");
    }

    @Test
    void aTopLevelCommandSeesTheEnvironment() {
        CliRunner.Result result =
                new CliRunner(home).env("VIREO_DATA_DIR", "/var/lib/vireo").run(extensions(), "up");

        assertThat(result.out()).isEqualTo("data dir /var/lib/vireo, agents 1\n");
    }

    @Test
    void aTopLevelCommandHasHelpButNotTheClientOptions() {
        CliRunner.Result result = new CliRunner(home).run(extensions(), "up", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Usage: vireo up").doesNotContain("--url", "--output");
    }

    @Test
    void aCommandMayMixInTheClientOptionsWhichWinOverTheRoots() {
        CliRunner cli = new CliRunner(home);

        assertThat(cli.run(extensions(), "bench", "--url", "http://10.0.0.1:8080")
                        .out())
                .isEqualTo("bench against http://10.0.0.1:8080\n");
        assertThat(cli.run(extensions(), "--url", "http://10.0.0.2:8080", "bench")
                        .out())
                .isEqualTo("bench against http://10.0.0.2:8080\n");
        assertThat(cli.run(extensions(), "--url", "http://10.0.0.2:8080", "bench", "--url", "http://10.0.0.3:8080")
                        .out())
                .isEqualTo("bench against http://10.0.0.3:8080\n");
    }

    @Test
    void aNestedCommandJoinsItsGroupAndReturnsItsExitCode() {
        CliRunner.Result result = new CliRunner(home).run(extensions(), "image", "build-test-guest");

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(new CliRunner(home).run(extensions(), "image", "--help").out())
                .contains("build-test-guest  Build the test guest image.");
        assertThat(new CliRunner(home).run(extensions(), "--help").out())
                .containsPattern("\n  up +Start a local Vireo\\.");
    }

    @Test
    void aFailingExtensionIsReportedLikeAnyError() {
        CliRunner.Result result = new CliRunner(home).run(extensions(), "server");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: port 8080 is in use\n");
    }

    @Test
    void theDebugVariableAddsTheStackTrace() {
        CliRunner.Result result = new CliRunner(home).env("VIREO_DEBUG", "1").run(extensions(), "server");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .startsWith("error: port 8080 is in use\n")
                .contains("java.lang.IllegalStateException: port 8080 is in use")
                .contains("at io.vireo.cli.ExtensionTest$FailingCommand.call");
    }

    @Test
    void anUnknownParentIsRejectedWhenTheTreeIsBuilt() {
        CliEnvironment environment = CliEnvironment.of(System.out, System.err, Map.of());
        List<CliExtension> wrong = List.of(CliExtension.under("cluster", new BuildTestGuestCommand()));

        assertThatThrownBy(() -> VireoCli.commandLine(environment, wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no command 'vireo cluster' to add a subcommand to");
    }

    @Test
    void theShortcutAddsTopLevelCommandsToTheSystemEnvironment() {
        CommandLine commandLine = VireoCli.commandLine(List.of(new BuildTestGuestCommand()));

        assertThat(commandLine.getSubcommands()).containsKeys("vm", "host", "build-test-guest");
        assertThat(commandLine.execute("build-test-guest")).isEqualTo(7);
    }
}
