package io.vireo.server.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.cli.CliEnvironment;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code --alertmanager-url}: where alerts are sent (ADR 24), repeatable, on {@code vireo server} and {@code up}. */
class AlertmanagerUrlOptionTest {
    private static List<URI> server(String... args) {
        ServerCommand command = new ServerCommand(CliEnvironment.system());
        new CommandLine(command).parseArgs(args);
        return command.options.config(Map.of(), null, null, null).alertmanagerUrls();
    }

    @Test
    void noneByDefaultAndRepeatable() {
        assertThat(server()).isEmpty();
        assertThat(server("--alertmanager-url", "http://127.0.0.1:9093", "--alertmanager-url", "https://am.example/"))
                .containsExactly(URI.create("http://127.0.0.1:9093"), URI.create("https://am.example/"));
    }

    @Test
    void vireoUpTakesItToo() {
        UpCommand command = new UpCommand(CliEnvironment.system());
        new CommandLine(command).parseArgs("--alertmanager-url", "http://127.0.0.1:9093");
        assertThat(command.options.config(Map.of(), null, null, null).alertmanagerUrls())
                .containsExactly(URI.create("http://127.0.0.1:9093"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:9093", "ftp://am:21", "http://", "http://a b", "file:///tmp/x"})
    void aBadUrlIsRefusedNamingTheOption(String value) {
        assertThatThrownBy(() -> server("--alertmanager-url", value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--alertmanager-url");
    }
}
