package io.vireo.server;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.RateLimiter;
import io.vireo.controller.ControllerSettings;
import io.vireo.model.QuotaResource;
import io.vireo.server.tls.ApiTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How to run one server process.
 *
 * @param dataDir where the server keeps its credentials, the API address file and (without {@code dbUrl}) the
 *     embedded PostgreSQL data
 * @param bindHost the address both listeners bind to
 * @param apiPort the REST API port (0 picks a free one)
 * @param agentPort the gRPC port agents dial (0 picks a free one)
 * @param dbUrl a JDBC URL of an external PostgreSQL, or null for the embedded one
 * @param schedulerProfile the placement profile: {@code default} (spread, balanced), {@code spread} or {@code pack}
 * @param maxImageBytes the largest image upload accepted
 * @param apiRateLimit the requests each API token may send (a burst, then a rate per second)
 * @param apiTls how the API is served: HTTPS with a certificate of the cloud's CA or the operator's, or plain HTTP on
 *     loopback only
 * @param addressHoldBack how long a released IPv4 address of a port is skipped by automatic allocation (ADR 23)
 * @param alertmanagerUrls the Alertmanager-compatible receivers alerts are sent to (none: alerts are only listed)
 */
public record ServerConfig(
        Path dataDir,
        String bindHost,
        int apiPort,
        int agentPort,
        @Nullable String dbUrl,
        @Nullable String dbUser,
        @Nullable String dbPassword,
        String schedulerProfile,
        ControllerSettings controller,
        long maxImageBytes,
        RateLimiter.Limit apiRateLimit,
        Map<QuotaResource, Long> defaultQuota,
        ApiTls apiTls,
        Duration addressHoldBack,
        List<URI> alertmanagerUrls) {
    public ServerConfig {
        requireNonNull(addressHoldBack, "addressHoldBack is null");
        requireNonNull(apiTls, "apiTls is null");
        if (apiTls instanceof ApiTls.PlainHttp && !isLoopback(bindHost)) {
            throw new IllegalArgumentException("plain HTTP (--api-plain-http) is for a loopback address only, not "
                    + bindHost + ": serve HTTPS, with the CA's certificate or yours (--api-tls-cert, --api-tls-key)");
        }
        defaultQuota = Map.copyOf(defaultQuota);
        alertmanagerUrls = List.copyOf(alertmanagerUrls);
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(bindHost, "bindHost is null");
        requireNonNull(schedulerProfile, "schedulerProfile is null");
        requireNonNull(controller, "controller is null");
        requireNonNull(apiRateLimit, "apiRateLimit is null");
        requirePort("apiPort", apiPort);
        requirePort("agentPort", agentPort);
        if (maxImageBytes < 1) {
            throw new IllegalArgumentException("maxImageBytes must be positive: " + maxImageBytes);
        }
    }

    /** Whether {@code host} is a loopback address literal or {@code localhost}; no name is looked up. */
    public static boolean isLoopback(String host) {
        return host.equals("localhost")
                || host.equals("::1")
                || host.equals("[::1]")
                || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static void requirePort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0..65535: " + port);
        }
    }
}
