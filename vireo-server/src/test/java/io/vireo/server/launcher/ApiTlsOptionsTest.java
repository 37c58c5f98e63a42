package io.vireo.server.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.cli.CliEnvironment;
import io.vireo.server.tls.ApiTls;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code --api-tls-cert}, {@code --api-tls-key}, {@code --api-tls-name}, {@code --api-plain-http} (ADR 20). */
class ApiTlsOptionsTest {
    private static ApiTls parse(String... args) {
        ServerCommand command = new ServerCommand(CliEnvironment.system());
        new CommandLine(command).parseArgs(args);
        return command.options.config(Map.of(), null, null, null).apiTls();
    }

    @Test
    void httpsWithTheCasCertificateIsTheDefault() {
        assertThat(parse()).isEqualTo(new ApiTls.CaIssued(List.of()));
        assertThat(parse("--bind", "0.0.0.0", "--api-tls-name", "vireo.example.test,10.0.0.5", "--api-tls-name", "::1"))
                .isEqualTo(new ApiTls.CaIssued(List.of("vireo.example.test", "10.0.0.5", "::1")));
    }

    @Test
    void anOperatorsFilesAreTakenTogether() {
        assertThat(parse("--api-tls-cert", "/etc/vireo/api.crt", "--api-tls-key", "/etc/vireo/api.key"))
                .isEqualTo(new ApiTls.OperatorSupplied(Path.of("/etc/vireo/api.crt"), Path.of("/etc/vireo/api.key")));
    }

    @Test
    void plainHttpOnLoopbackOnly() {
        assertThat(parse("--api-plain-http")).isEqualTo(new ApiTls.PlainHttp());
        assertThat(parse("--api-plain-http", "--bind", "127.0.0.2")).isEqualTo(new ApiTls.PlainHttp());
        assertThat(parse("--api-plain-http", "--bind", "::1")).isEqualTo(new ApiTls.PlainHttp());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(List.of("--api-plain-http", "--bind", "0.0.0.0"), "loopback address only"),
                Arguments.of(List.of("--api-plain-http", "--bind", "10.0.0.5"), "loopback address only"),
                Arguments.of(List.of("--api-tls-cert", "a.crt"), "go together"),
                Arguments.of(List.of("--api-tls-key", "a.key"), "go together"),
                Arguments.of(
                        List.of("--api-plain-http", "--api-tls-cert", "a.crt", "--api-tls-key", "a.key"),
                        "serves no certificate"),
                Arguments.of(
                        List.of("--api-tls-cert", "a.crt", "--api-tls-key", "a.key", "--api-tls-name", "x"),
                        "carries its own names"),
                Arguments.of(List.of("--api-tls-name", "a b"), "not a DNS name"),
                Arguments.of(List.of("--api-tls-name", "../etc"), "not a DNS name"),
                Arguments.of(List.of("--api-tls-name", "-x.example"), "not a DNS name"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void contradictionsAreRefusedBeforeAnythingStarts(List<String> args, String message) {
        assertThatThrownBy(() -> parse(args.toArray(String[]::new)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
