package io.vireo.sim.bench.controlplane;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The REST API as the load process calls it: blocking calls (made from virtual threads), JSON bodies, the admin token.
 * Thread-safe.
 */
final class ApiClient {
    /** How long one call may take before it counts as failed. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** A status and body; {@code status} 0 means no answer (a transport error or the timeout). */
    record Response(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final ObjectMapper json;
    private volatile String token;

    ApiClient(HttpClient http, URI base, String token, ObjectMapper json) {
        this.http = requireNonNull(http, "http is null");
        this.base = requireNonNull(base, "base is null");
        this.token = requireNonNull(token, "token is null");
        this.json = requireNonNull(json, "json is null");
    }

    /** The admin token changes with the data directory only; a restarted server keeps it. */
    void token(String value) {
        token = requireNonNull(value, "value is null");
    }

    ObjectMapper json() {
        return json;
    }

    /** One call; never throws for an HTTP status, and answers status 0 when the server did not answer. */
    Response send(String method, String path, @Nullable Object body) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/v1" + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token);
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a request body: " + e.getMessage(), e);
        } catch (IOException e) {
            return new Response(0, e.toString());
        }
    }

    /** One call whose answer must be 2xx; its JSON body. */
    JsonNode call(String method, String path, @Nullable Object body) throws InterruptedException {
        Response response = send(method, path, body);
        if (!response.ok()) {
            throw new IllegalStateException(method + " " + path + ": " + response.status() + " " + response.body());
        }
        return parse(response.body());
    }

    JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + e.getMessage(), e);
        }
    }

    /** Whether the server answers its health check. */
    boolean healthy() throws InterruptedException {
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(base.resolve("/healthz"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
