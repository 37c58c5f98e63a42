package io.vireo.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A minimal REST client for the tests: JSON in, JSON out, status kept. */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Response(int status, JsonNode body) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;
    private final String token;

    ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
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
