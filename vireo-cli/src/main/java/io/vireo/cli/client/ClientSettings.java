package io.vireo.cli.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Every bound the client puts on a conversation with the server.
 *
 * @param connectTimeout how long to wait for a TCP connection
 * @param requestTimeout how long to wait for a response once the request is sent
 * @param maxResponseBytes the largest response body accepted; a larger one is an error, never truncated silently
 * @param pageSize the {@code limit} asked for on each page of a list
 * @param maxPages how many pages a list follows before it gives up (a server that keeps answering with a cursor
 *     would otherwise keep the client busy forever)
 * @param createAttempts how often a create is sent when the connection breaks before the answer arrives; safe
 *     because every attempt carries the same {@code Idempotency-Key}
 */
public record ClientSettings(
        Duration connectTimeout,
        Duration requestTimeout,
        int maxResponseBytes,
        int pageSize,
        int maxPages,
        int createAttempts) {
    public static final ClientSettings DEFAULTS =
            new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(30), 16 * 1024 * 1024, 100, 1_000, 3);

    public ClientSettings {
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        if (maxResponseBytes < 1 || pageSize < 1 || maxPages < 1 || createAttempts < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
