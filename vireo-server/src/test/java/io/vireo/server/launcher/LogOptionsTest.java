package io.vireo.server.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.cli.CliEnvironment;
import io.vireo.cli.VireoCli;
import io.vireo.server.logging.LogFormat;
import io.vireo.server.logging.SyslogUrl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code --log-format} and {@code --syslog-url} on {@code vireo server}, {@code up} and {@code agent}. */
class LogOptionsTest {
    private static LogOptions server(String... args) {
        ServerCommand command = new ServerCommand(CliEnvironment.system());
        new CommandLine(command).parseArgs(args);
        return command.logs;
    }

    @Test
    void textAndNoForwardingByDefault() {
        assertThat(server().format()).isEqualTo(LogFormat.TEXT);
        assertThat(server().syslog()).isEmpty();
    }

    @Test
    void serverUpAndAgentTakeBoth() {
        String[] args = {"--log-format", "json", "--syslog-url", "tcp://logs.example:514"};
        UpCommand up = new UpCommand(CliEnvironment.system());
        new CommandLine(up).parseArgs(args);
        AgentCommand agent = new AgentCommand();
        new CommandLine(agent)
                .parseArgs("--server", "127.0.0.1:9090", "--name", "h1", "--state-dir", "/tmp/x", args[0], args[1]);

        for (LogOptions options : new LogOptions[] {server(args), up.logs, agent.logs}) {
            assertThat(options.format()).isEqualTo(LogFormat.JSON);
        }
        assertThat(server(args).syslog()).contains(new SyslogUrl("logs.example", 514));
        assertThat(up.logs.syslog()).contains(new SyslogUrl("logs.example", 514));
    }

    @Test
    void anIpv6Address() {
        assertThat(server("--syslog-url", "tcp://[::1]:6514").syslog()).contains(new SyslogUrl("::1", 6514));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "logs.example:514",
                "udp://logs.example:514",
                "tls://logs.example:6514",
                "tcp://logs.example",
                "tcp://:514",
                "tcp://logs.example:514/x",
                "tcp://logs.example:70000",
                "tcp://a b:514"
            })
    void anythingButTcpHostPortIsRefusedNamingTheOption(String value) {
        assertThatThrownBy(() -> server("--syslog-url", value).syslog())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--syslog-url");
    }

    @Test
    void anUnknownFormatIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> server("--log-format", "xml").format())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--log-format");
    }

    @Test
    void aBadSyslogUrlStopsTheServerBeforeItStarts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment environment = CliEnvironment.of(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());

        int code = VireoCli.execute(
                new String[] {"server", "--data-dir", "/nonexistent/vireo", "--syslog-url", "udp://127.0.0.1:514"},
                environment,
                Main.extensions(environment));

        assertThat(code).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--syslog-url must be tcp://HOST:PORT");
    }
}
