package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP exchange with the API: adds the token, sends JSON, reads a bounded JSON answer and turns every failure
 * into a {@link CliException} whose message a person can act on. Thread-safe; owns its {@link HttpClient}.
 */
final class ApiTransport implements AutoCloseable {
    private static final int ERROR_SNIPPET_CHARS = 200;

    private final Connection connection;
    private final ClientSettings settings;
    private final HttpClient http;

    ApiTransport(Connection connection, ClientSettings settings) {
        this.connection = requireNonNull(connection, "connection is null");
        this.settings = requireNonNull(settings, "settings is null");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        Path caFile = connection.caFile();
        if (caFile != null) {
            builder.sslContext(TrustedCertificates.sslContext(caFile));
        }
        this.http = builder.build();
    }

    /**
     * Sends a request to {@code path} under {@code /api/v1} and returns the JSON body of a 2xx answer (a JSON null
     * when the body is empty).
     *
     * @throws ApiException when the server answers with an error status
     * @throws CliException when the server cannot be reached or answers with something that is not JSON
     */
    JsonNode send(
            String method, String path, Map<String, String> query, @Nullable Object body, Map<String, String> headers) {
        URI uri = URI.create(connection.apiUrl() + path + queryString(query));
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(settings.requestTimeout()).header("Accept", "application/json");
        if (connection.token() != null) {
            request.header("Authorization", "Bearer " + connection.token());
        }
        if (connection.project() != null) {
            request.header(Connection.PROJECT_HEADER, connection.project());
        }
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(WireFormat.bytes(body)));
        }
        return answer(request.build(), method + " " + uri);
    }

    /**
     * Sends the file as an {@code application/octet-stream} body, streamed from disk, and reads the JSON answer.
     *
     * @param timeout how long the whole exchange may take (an upload takes longer than other requests)
     */
    JsonNode sendFile(String method, String path, Map<String, String> query, Path file, Duration timeout) {
        URI uri = URI.create(connection.apiUrl() + path + queryString(query));
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        if (connection.token() != null) {
            request.header("Authorization", "Bearer " + connection.token());
        }
        if (connection.project() != null) {
            request.header(Connection.PROJECT_HEADER, connection.project());
        }
        // A refusal (401, 409, 413, 503…) comes before a byte of the file is sent; without it the server would
        // close the connection on an unread body and the client could see a reset instead of the error.
        request.header("Content-Type", "application/octet-stream").expectContinue(true);
        try {
            request.method(method, HttpRequest.BodyPublishers.ofFile(file));
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return answer(request.build(), method + " " + uri);
    }

    private JsonNode answer(HttpRequest built, String what) {
        HttpResponse<InputStream> response = exchange(built, what);
        byte[] bytes = readBody(response, what);
        if (response.statusCode() >= 400) {
            ApiException error = error(response.statusCode(), bytes, what);
            if (error.httpStatus() == 401 && connection.token() == null) {
                throw new ApiException(
                        401,
                        error.code(),
                        error.getMessage() + "; no token was sent: pass --token or set VIREO_TOKEN",
                        error.details());
            }
            throw error;
        }
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            throw new CliException(
                    CliErrorCode.INVALID_RESPONSE, "unexpected HTTP " + response.statusCode() + " from " + what);
        }
        return parse(bytes, what);
    }

    private HttpResponse<InputStream> exchange(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(
                    "connecting timed out after " + settings.connectTimeout().toSeconds() + "s", e);
        } catch (HttpTimeoutException e) {
            throw new CliException(
                    CliErrorCode.TIMEOUT,
                    "no answer to " + what + " within "
                            + settings.requestTimeout().toSeconds() + "s",
                    e);
        } catch (SSLHandshakeException e) {
            throw unreachable(
                    "the TLS handshake failed (" + rootMessage(e) + ")"
                            + (connection.caFile() == null
                                    ? "; to trust the server's CA, pass --ca-file (a local server's is"
                                            + " DATA_DIR/api-ca.pem) or set " + ConnectionResolver.CA_FILE_VARIABLE
                                    : "; trusted: " + connection.caFile()),
                    e);
        } catch (ConnectException e) {
            String reason = rootMessage(e);
            throw unreachable(reason.equals(e.getClass().getSimpleName()) ? "connection refused" : reason, e);
        } catch (IOException e) {
            throw new CliException(
                    CliErrorCode.CONNECTION_FAILED, "connection failed during " + what + ": " + rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliErrorCode.INTERRUPTED, "interrupted during " + what, e);
        }
    }

    private byte[] readBody(HttpResponse<InputStream> response, String what) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(settings.maxResponseBytes() + 1);
            if (bytes.length > settings.maxResponseBytes()) {
                throw new CliException(
                        CliErrorCode.INVALID_RESPONSE,
                        "the answer to " + what + " is larger than " + settings.maxResponseBytes() + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new CliException(
                    CliErrorCode.CONNECTION_FAILED, "connection failed during " + what + ": " + rootMessage(e), e);
        }
    }

    private static JsonNode parse(byte[] bytes, String what) {
        if (bytes.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return WireFormat.parse(bytes);
        } catch (IOException e) {
            throw new CliException(CliErrorCode.INVALID_RESPONSE, "the answer to " + what + " is not JSON", e);
        }
    }

    /** Maps an error answer to the server's own code and message, or to the status when the body is not ours. */
    private static ApiException error(int status, byte[] bytes, String what) {
        JsonNode error = NullNode.getInstance();
        try {
            if (bytes.length > 0) {
                error = WireFormat.parse(bytes).path("error");
            }
        } catch (IOException e) {
            // Not our error shape (a proxy's HTML page, say): reported by status below.
        }
        if (error.path("message").isTextual()) {
            String code = error.path("code").isTextual() ? error.path("code").asText() : "HTTP_" + status;
            return new ApiException(status, code, error.path("message").asText(), error.path("details"));
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        String snippet = text.length() > ERROR_SNIPPET_CHARS ? text.substring(0, ERROR_SNIPPET_CHARS) + "..." : text;
        return new ApiException(
                status,
                "HTTP_" + status,
                "HTTP " + status + " from " + what + (snippet.isEmpty() ? "" : ": " + snippet));
    }

    private CliException unreachable(String reason, Exception cause) {
        return new CliException(
                CliErrorCode.UNREACHABLE,
                "cannot connect to Vireo at " + connection.baseUrl() + " (from " + connection.source() + "): " + reason,
                cause);
    }

    /** The JDK's HTTP client often wraps the useful message (e.g. "Connection refused") in message-less causes. */
    private static String rootMessage(Throwable failure) {
        String message = failure.getClass().getSimpleName();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message;
    }

    static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringJoiner joiner = new StringJoiner("&", "?", "");
        query.forEach((name, value) -> joiner.add(encode(name) + "=" + encode(value)));
        return joiner.toString();
    }

    /** Encodes one path segment or query value; a name can never change the path it is put in. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        http.close();
    }
}
