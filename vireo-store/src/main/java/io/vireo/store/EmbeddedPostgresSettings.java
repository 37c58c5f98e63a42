package io.vireo.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where and how {@link EmbeddedPostgres} runs its server.
 *
 * @param directory Vireo's directory: the cluster lives in {@code directory/postgres} and survives restarts
 * @param port the TCP port on localhost; 0 picks a free port on the first start and reuses it on later starts
 * @param startupTimeout how long to wait for the server to accept connections
 * @param shutdownTimeout how long to wait for a server to stop after each signal (a clean stop, then a kill)
 * @param serverConfig extra {@code postgresql.conf} settings passed on the command line, such as
 *     {@code shared_buffers}
 */
public record EmbeddedPostgresSettings(
        Path directory, int port, Duration startupTimeout, Duration shutdownTimeout, Map<String, String> serverConfig) {
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final int MAX_PORT = 65_535;

    public EmbeddedPostgresSettings {
        directory =
                requireNonNull(directory, "directory is null").toAbsolutePath().normalize();
        requireNonNull(startupTimeout, "startupTimeout is null");
        requireNonNull(shutdownTimeout, "shutdownTimeout is null");
        serverConfig = Map.copyOf(serverConfig);
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("port must be 0.." + MAX_PORT + ": " + port);
        }
        if (!startupTimeout.isPositive() || !shutdownTimeout.isPositive()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** A free port chosen once and remembered, default timeouts, PostgreSQL's default configuration. */
    public static EmbeddedPostgresSettings of(Path directory) {
        return new EmbeddedPostgresSettings(directory, 0, DEFAULT_STARTUP_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT, Map.of());
    }

    public EmbeddedPostgresSettings withPort(int newPort) {
        return new EmbeddedPostgresSettings(directory, newPort, startupTimeout, shutdownTimeout, serverConfig);
    }

    public EmbeddedPostgresSettings withServerConfig(Map<String, String> config) {
        return new EmbeddedPostgresSettings(directory, port, startupTimeout, shutdownTimeout, config);
    }
}
