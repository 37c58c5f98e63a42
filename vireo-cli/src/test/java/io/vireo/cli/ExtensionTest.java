package io.vireo.cli;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How the launcher adds {@code up}, {@code server}, {@code image build-test-guest} and the like. */
class ExtensionTest {
    @TempDir
    Path home;

    /** Stands in for the launcher's {@code vireo up}: reads the shared options through the root command. */
    @Command(name = "up", description = "Start a local Vireo.")
    static final class UpCommand implements Callable<Integer> {
        @Spec
        @Nullable
        CommandSpec spec;

        @Option(names = "--agents")
        int agents = 1;

        @Override
        public Integer call() {
            VireoCommand root = VireoCommand.of(requireNonNull(spec));
            root.environment().out().println("data dir " + root.dataDirectory().path() + ", agents " + agents);
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

    private final List<CliExtension> extensions = List.of(
            CliExtension.topLevel(new UpCommand()),
            CliExtension.topLevel(new FailingCommand()),
            CliExtension.under("image", new BuildTestGuestCommand()));

    @Test
    void aTopLevelCommandSharesTheGlobalOptions() {
        CliRunner.Result result =
                new CliRunner(home).run(extensions, "up", "--agents", "3", "--data-dir", "/srv/vireo");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("data dir /srv/vireo, agents 3\n");
    }

    @Test
    void aTopLevelCommandSeesTheDefaultDataDirectory() {
        CliRunner.Result result = new CliRunner(home).run(extensions, "up");

        assertThat(result.out()).isEqualTo("data dir " + home.resolve(".vireo") + ", agents 1\n");
    }

    @Test
    void aNestedCommandJoinsItsGroupAndReturnsItsExitCode() {
        CliRunner.Result result = new CliRunner(home).run(extensions, "image", "build-test-guest");

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(new CliRunner(home).run(extensions, "image", "--help").out())
                .contains("build-test-guest  Build the test guest image.");
        assertThat(new CliRunner(home).run(extensions, "--help").out()).contains("up      Start a local Vireo.");
    }

    @Test
    void aFailingExtensionIsReportedLikeAnyError() {
        CliRunner.Result result = new CliRunner(home).run(extensions, "server");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: port 8080 is in use\n");
    }

    @Test
    void theDebugVariableAddsTheStackTrace() {
        CliRunner.Result result = new CliRunner(home).env("VIREO_DEBUG", "1").run(extensions, "server");

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
