package io.vireo.agent.metrics;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own HTTP listener for Prometheus: {@code GET /metrics} only, to a scrape presenting the credential of
 * {@link ScrapeCredential} (else 401, or 503 before the server sent one), in the text format or OpenMetrics as the
 * {@code Accept} header asks. Errors are in Vireo's one JSON shape. It serves at most {@link #MAX_CONCURRENT_SCRAPES}
 * scrapes at once, on threads of its own; more wait in the listen backlog.
 *
 * <p>Lifecycle: {@link #start} binds, {@link #close} stops; thread-safe.
 */
public final class AgentMetricsEndpoint implements AutoCloseable {
    /** Scrapes served at once. */
    public static final int MAX_CONCURRENT_SCRAPES = 2;

    /** Connections waiting to be accepted. */
    private static final int BACKLOG = 16;

    private static final String PATH = "/metrics";
    private static final Logger log = LoggerFactory.getLogger(AgentMetricsEndpoint.class);

    private final HttpServer server;
    private final ExecutorService threads;

    private AgentMetricsEndpoint(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Listens on {@code host:port} (0: a free port) and serves {@code exposition} to scrapes {@code credential} admits. */
    public static AgentMetricsEndpoint start(
            String host, int port, MetricsExposition exposition, ScrapeCredential credential) {
        requireNonNull(exposition, "exposition is null");
        requireNonNull(credential, "credential is null");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ExecutorService threads = Executors.newFixedThreadPool(
                MAX_CONCURRENT_SCRAPES,
                Thread.ofPlatform().name("vireo-agent-metrics-", 0).daemon().factory());
        server.setExecutor(threads);
        server.createContext("/", exchange -> serve(exchange, exposition, credential));
        server.start();
        AgentMetricsEndpoint endpoint = new AgentMetricsEndpoint(server, threads);
        log.info("Serving Prometheus metrics on {}:{}{}", host, endpoint.port(), PATH);
        return endpoint;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, MetricsExposition exposition, ScrapeCredential credential)
            throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                error(exchange, 404, "NOT_FOUND", "only " + PATH + " is served here");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                error(exchange, 405, "METHOD_NOT_ALLOWED", PATH + " answers GET only");
                return;
            }
            switch (credential.check(exchange.getRequestHeaders().getFirst("Authorization"))) {
                case NOT_YET_KNOWN -> {
                    exchange.getResponseHeaders().set("Retry-After", "5");
                    error(exchange, 503, "UNAVAILABLE", "the agent has not registered with a server yet");
                }
                case REFUSED -> {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    error(
                            exchange,
                            401,
                            "UNAUTHENTICATED",
                            "send 'Authorization: Bearer <token>' with the server's metrics token");
                }
                case ACCEPTED -> {
                    MetricsExposition.Scrape scrape =
                            exposition.scrape(exchange.getRequestHeaders().getFirst("Accept"));
                    write(exchange, 200, scrape.contentType(), scrape.text());
                }
            }
        } catch (RuntimeException e) {
            log.warn("serving a scrape failed", e);
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        // the messages are the agent's own constants: nothing from the request is echoed
        write(
                exchange,
                status,
                "application/json",
                "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":{}}}");
    }

    private static void write(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
