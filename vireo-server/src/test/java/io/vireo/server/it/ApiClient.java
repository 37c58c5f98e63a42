package io.vireo.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.pki.Pem;
import io.vireo.pki.TrustManagers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/** A minimal REST client for the tests: JSON in, JSON out, status kept. */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Response(int status, JsonNode body) {}

    private final HttpClient http;
    private final String baseUrl;
    private final String token;

    /** A client of the API at {@code baseUrl} (https) that trusts only the certificates in the PEM {@code caFile}. */
    ApiClient(String baseUrl, String token, Path caFile) {
        this.baseUrl = baseUrl;
        this.token = token;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    null,
                    TrustManagers.trusting(Pem.certificates(Files.readString(caFile, StandardCharsets.US_ASCII))
                            .get(0)),
                    null);
            this.http = HttpClient.newBuilder()
                    .sslContext(context)
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + caFile, e);
        }
    }

    /**
     * The admin-token client of a local server on {@code port} with data directory {@code dataDir}: over HTTPS,
     * trusting the CA the server wrote there.
     */
    static ApiClient local(Path dataDir, int port) {
        try {
            return new ApiClient(
                    "https://127.0.0.1:" + port,
                    Files.readString(dataDir.resolve("admin-token")).trim(),
                    dataDir.resolve("api-ca.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, Map.of());
    }

    Response post(String path, @Nullable Object body, Map<String, String> headers)
            throws IOException, InterruptedException {
        return send("POST", path, body, headers);
    }

    Response delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null, Map.of());
    }

    Response send(String method, String path, @Nullable Object body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Response(response.statusCode(), json);
    }

    /** Every VM, following the cursor. */
    List<JsonNode> vms() throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            Response page = get("/vms?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
            if (page.status() != 200) {
                throw new IOException("listing VMs: " + page);
            }
            page.body().get("items").forEach(all::add);
            JsonNode next = page.body().get("nextCursor");
            cursor = next == null || next.isNull()
                    ? null
                    : java.net.URLEncoder.encode(next.asText(), java.nio.charset.StandardCharsets.UTF_8);
        } while (cursor != null);
        return all;
    }

    /** Every event, oldest first, following the cursor. */
    List<JsonNode> events() throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            Response page = get("/events?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
            if (page.status() != 200) {
                throw new IOException("listing events: " + page);
            }
            page.body().get("items").forEach(all::add);
            JsonNode next = page.body().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asText();
        } while (cursor != null);
        return all;
    }

    List<JsonNode> hosts() throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        get("/hosts").body().get("items").forEach(all::add);
        return all;
    }
}
