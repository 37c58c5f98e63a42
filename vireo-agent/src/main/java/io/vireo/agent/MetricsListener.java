package io.vireo.agent;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.metrics.ScrapeCredential;

/**
 * Where the agent's {@code /metrics} listens, as the agent tells the server at registration (ADR 21), and the
 * credential it checks scrapes against, which the server's {@code Registered} fills in.
 *
 * @param port the bound port
 * @param advertisedHost the address to scrape; empty when the listener is on a wildcard address and the server should
 *     use the address the agent's stream comes from
 */
public record MetricsListener(int port, String advertisedHost, ScrapeCredential credential) {
    public MetricsListener {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        requireNonNull(advertisedHost, "advertisedHost is null");
        requireNonNull(credential, "credential is null");
    }

    /** The host to advertise for a listener bound to {@code bindHost}: empty for a wildcard address. */
    public static String advertised(String bindHost) {
        return switch (bindHost) {
            case "0.0.0.0", "::", "[::]", "" -> "";
            default -> bindHost;
        };
    }
}
