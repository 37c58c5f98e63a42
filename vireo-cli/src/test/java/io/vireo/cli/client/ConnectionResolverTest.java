package io.vireo.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionResolverTest {
    @TempDir
    Path home;

    static Stream<Arguments> urls() {
        return Stream.of(
                Arguments.of("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
                Arguments.of("  http://127.0.0.1:8080/\n", "http://127.0.0.1:8080"),
                Arguments.of("HTTPS://vireo.example.com", "https://vireo.example.com"),
                Arguments.of("http://127.0.0.1:8080/api/v1", "http://127.0.0.1:8080"),
                Arguments.of("http://127.0.0.1:8080/api/v1/", "http://127.0.0.1:8080"),
                Arguments.of("https://gateway.example.com/vireo/", "https://gateway.example.com/vireo"),
                Arguments.of("http://[::1]:8080", "http://[::1]:8080"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urls")
    void urlsAreNormalizedToTheServerRoot(String text, String expected) {
        assertThat(ConnectionResolver.parseUrl(text, "test")).hasToString(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"localhost:8080", "ftp://example.com", "http://", "http://host/?a=b", "not a url", ""})
    void unusableUrlsAreConfigurationErrors(String text) {
        assertThatThrownBy(() -> ConnectionResolver.parseUrl(text, "VIREO_URL"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("(from VIREO_URL)")
                .satisfies(e -> assertThat(((CliException) e).is(CliErrorCode.NOT_CONFIGURED))
                        .isTrue());
    }

    @Test
    void blankVariablesCountAsUnset() throws IOException {
        Path local = Files.createDirectories(home.resolve(".vireo"));
        Files.writeString(local.resolve("api-url"), "http://127.0.0.1:9000");
        Files.writeString(local.resolve("admin-token"), "  local  \n");

        Connection connection = ConnectionResolver.resolve(
                new ConnectionResolver.Options(null, null, null),
                Map.of("VIREO_URL", " ", "VIREO_TOKEN", "", "VIREO_DATA_DIR", ""),
                home);

        assertThat(connection.baseUrl()).hasToString("http://127.0.0.1:9000");
        assertThat(connection.token()).isEqualTo("local");
        assertThat(connection.source()).isEqualTo(local.resolve("api-url").toString());
    }

    @Test
    void anEmptyUrlFileIsLikeNoFile() throws IOException {
        Path local = Files.createDirectories(home.resolve(".vireo"));
        Files.writeString(local.resolve("api-url"), "\n");

        assertThatThrownBy(() ->
                        ConnectionResolver.resolve(new ConnectionResolver.Options(null, null, null), Map.of(), home))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("no Vireo server configured");
    }

    @Test
    void anOversizedFileIsRejected() throws IOException {
        Path local = Files.createDirectories(home.resolve(".vireo"));
        Files.writeString(local.resolve("api-url"), "x".repeat(DataDirectory.MAX_FILE_BYTES + 1));

        assertThatThrownBy(() ->
                        ConnectionResolver.resolve(new ConnectionResolver.Options(null, null, null), Map.of(), home))
                .isInstanceOf(CliException.class)
                .hasMessageEndingWith("is larger than 4096 bytes");
    }

    @Test
    void aTokenWithALineBreakIsRejectedBeforeItReachesAHeader() {
        assertThatThrownBy(() -> ConnectionResolver.resolve(
                        new ConnectionResolver.Options("http://127.0.0.1:1", "abc\r\nX-Evil: 1", null), Map.of(), home))
                .isInstanceOf(CliException.class)
                .hasMessage("the token contains whitespace or control characters");
    }

    @Test
    void theTokenNeverAppearsInTheConnectionsText() {
        Connection connection = new Connection(java.net.URI.create("http://127.0.0.1:1"), "s3cret", "--url");

        assertThat(connection.toString()).doesNotContain("s3cret").contains("***");
    }
}
