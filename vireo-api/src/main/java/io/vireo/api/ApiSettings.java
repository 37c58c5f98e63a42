package io.vireo.api;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.RateLimiter;
import org.jspecify.annotations.Nullable;

/**
 * Where the API listens and how much it reads.
 *
 * @param bindHost the address to listen on, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port the TCP port; 0 picks a free one ({@link ApiServer#start()} returns it)
 * @param maxRequestBodyBytes the largest request body accepted; larger ones are answered with 413
 * @param rateLimit the requests each token may send (a burst, then a rate); beyond it, 429 with Retry-After
 * @param tls the key and certificate to serve HTTPS with, or null for plain HTTP
 */
public record ApiSettings(
        String bindHost,
        int port,
        int maxRequestBodyBytes,
        RateLimiter.Limit rateLimit,
        @Nullable ApiTlsIdentity tls) {
    public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 1024 * 1024;

    /** A bound on the bound: request bodies are read into memory. */
    public static final int MAX_REQUEST_BODY_BYTES = 64 * 1024 * 1024;

    public ApiSettings {
        requireNonNull(bindHost, "bindHost is null");
        if (bindHost.isBlank()) {
            throw new IllegalArgumentException("bindHost is blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        if (maxRequestBodyBytes < 1 || maxRequestBodyBytes > MAX_REQUEST_BODY_BYTES) {
            throw new IllegalArgumentException(
                    "maxRequestBodyBytes must be 1-" + MAX_REQUEST_BODY_BYTES + ": " + maxRequestBodyBytes);
        }
        requireNonNull(rateLimit, "rateLimit is null");
    }

    /** Plain HTTP. */
    public ApiSettings(String bindHost, int port, int maxRequestBodyBytes, RateLimiter.Limit rateLimit) {
        this(bindHost, port, maxRequestBodyBytes, rateLimit, null);
    }

    /** Plain HTTP with the default rate limit ({@link RateLimiter.Limit#DEFAULT}). */
    public ApiSettings(String bindHost, int port, int maxRequestBodyBytes) {
        this(bindHost, port, maxRequestBodyBytes, RateLimiter.Limit.DEFAULT);
    }

    public ApiSettings withRateLimit(RateLimiter.Limit limit) {
        return new ApiSettings(bindHost, port, maxRequestBodyBytes, limit, tls);
    }

    /** Served over TLS with {@code identity}. */
    public ApiSettings withTls(ApiTlsIdentity identity) {
        return new ApiSettings(bindHost, port, maxRequestBodyBytes, rateLimit, identity);
    }

    /** Listens on {@code bindHost:port} with the default body limit of 1 MiB. */
    public static ApiSettings of(String bindHost, int port) {
        return new ApiSettings(bindHost, port, DEFAULT_MAX_REQUEST_BODY_BYTES);
    }
}
