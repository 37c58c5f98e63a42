package io.vireo.agent;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.metrics.ScrapeCredential;

/**
 * The port the agent's {@code /metrics} listens on, as the agent tells the server at registration (the server scrapes
 * it at the address the agent's stream comes from, ADR 21), and the credential it checks scrapes against, which the
 * server's {@code Registered} fills in.
 */
public record MetricsListener(int port, ScrapeCredential credential) {
    public MetricsListener {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        requireNonNull(credential, "credential is null");
    }
}
