package io.vireo.cli;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A hand-written stand-in for the Vireo REST API on 127.0.0.1 and a free port: answers each route from a script and
 * records every request. Unscripted routes answer 404 in the API's error shape. Handlers run on the server's single
 * dispatcher thread; the recorded requests may be read from any thread.
 */
public final class FakeVireoServer implements AutoCloseable {
    /** A request as the server received it; header names are lower-case. */
    public record Request(
            String method, String path, Map<String, String> query, Map<String, List<String>> headers, String body) {
        public @Nullable String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    /** An answer; {@link #DROP} closes the connection without one. */
    public record Reply(int status, String body) {
        public static final Reply DROP = new Reply(-1, "");

        public static Reply ok(String body) {
            return new Reply(200, body);
        }

        public static Reply accepted(String body) {
            return new Reply(202, body);
        }

        public static Reply error(int status, String code, String message) {
            return new Reply(
                    status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":{}}}");
        }
    }

    @FunctionalInterface
    public interface Handler {
        Reply handle(Request request);
    }

    private final HttpServer server;
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeVireoServer(HttpServer server) {
        this.server = server;
    }

    public static FakeVireoServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeVireoServer fake = new FakeVireoServer(server);
            server.createContext("/", fake::exchange);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake server", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code method path} (path below {@code /api/v1}, without query) with {@code handler}. */
    public FakeVireoServer on(String method, String path, Handler handler) {
        routes.put(method + " /api/v1" + path, requireNonNull(handler, "handler is null"));
        return this;
    }

    /** Answers with each reply in turn, then repeats the last one. */
    public FakeVireoServer replies(String method, String path, Reply... replies) {
        List<Reply> script = List.of(replies);
        AtomicInteger next = new AtomicInteger();
        return on(method, path, request -> script.get(Math.min(next.getAndIncrement(), script.size() - 1)));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method, String path) {
        return requests.stream()
                .filter(r -> r.method().equals(method) && r.path().equals("/api/v1" + path))
                .toList();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            Request request = new Request(
                    exchange.getRequestMethod(),
                    path,
                    query(exchange.getRequestURI().getRawQuery()),
                    headers,
                    body);
            requests.add(request);
            Handler handler = routes.get(request.method() + " " + path);
            Reply reply = handler == null
                    ? Reply.error(404, "NOT_FOUND", "no route " + request.method() + " " + path)
                    : handler.handle(request);
            if (reply.status() < 0) {
                return; // closed without an answer: the client sees the connection drop
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> query(@Nullable String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            query.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }

    /** {@code METHOD /path} of every request in order, without the query, for assertions. */
    public List<String> paths() {
        List<String> paths = new ArrayList<>();
        requests.forEach(r -> paths.add(r.method() + " " + r.path()));
        return paths;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
