package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import io.vireo.pki.CaFileTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Fetches images from the server's REST API: {@code GET <base>/api/v1/images/<id>/file} with the agent credential
 * (read from its token file at every request) as the bearer token. Over {@code https} it trusts only the CA
 * certificate in {@code caFile} (the one the agent received when it enrolled, read at each handshake), with host name
 * checks. The response body is streamed; the caller verifies it. Thread-safe.
 */
public final class HttpImageFetcher implements ImageFetcher {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ERROR_BYTES = 2048;

    private final URI baseUrl;
    private final Path tokenFile;
    private final HttpClient http;

    /**
     * @param baseUrl the server's API address, such as {@code https://10.0.0.1:8080}
     * @param caFile the CA certificate (PEM) an {@code https} server's certificate must chain to
     */
    public HttpImageFetcher(URI baseUrl, Path tokenFile, Path caFile) {
        requireNonNull(baseUrl, "baseUrl is null");
        String scheme = baseUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("the image URL must be http:// or https://: " + baseUrl);
        }
        String text = baseUrl.toString();
        this.baseUrl = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.tokenFile = requireNonNull(tokenFile, "tokenFile is null");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(CaFileTrustManager.sslContext(caFile))
                .build();
    }

    @Override
    public InputStream open(UUID imageId) throws IOException {
        String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/images/" + imageId + "/file"))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching image " + imageId, e);
        }
        if (response.statusCode() != 200) {
            String error;
            try (InputStream body = response.body()) {
                error = new String(body.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8);
            }
            throw new IOException(
                    "the server answered " + response.statusCode() + " for image " + imageId + ": " + error.strip());
        }
        return response.body();
    }
}
