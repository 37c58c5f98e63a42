package io.vireo.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where and how {@link EmbeddedPostgres} runs its server.
 *
 * @param directory Vireo's directory: the cluster lives in {@code directory/postgres} and survives restarts
 * @param tcpPort 0 (the default): no TCP listener, only the UNIX socket in {@code directory/postgres-socket};
 *     otherwise a port on 127.0.0.1 where Vireo's role (never the superuser) may log in with its password
 * @param binariesCache where the PostgreSQL binaries are unpacked once (a directory private to the user running
 *     Vireo; default {@code ~/.cache/vireo})
 * @param startupTimeout how long to wait for the server to accept connections
 * @param shutdownTimeout how long to wait for a server to stop after each signal (a clean stop, then a kill)
 * @param serverConfig extra {@code postgresql.conf} settings passed on the command line, such as
 *     {@code shared_buffers}
 */
public record EmbeddedPostgresSettings(
        Path directory,
        int tcpPort,
        Path binariesCache,
        Duration startupTimeout,
        Duration shutdownTimeout,
        Map<String, String> serverConfig) {
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final int MAX_PORT = 65_535;

    public EmbeddedPostgresSettings {
        directory =
                requireNonNull(directory, "directory is null").toAbsolutePath().normalize();
        binariesCache = requireNonNull(binariesCache, "binariesCache is null")
                .toAbsolutePath()
                .normalize();
        requireNonNull(startupTimeout, "startupTimeout is null");
        requireNonNull(shutdownTimeout, "shutdownTimeout is null");
        serverConfig = Map.copyOf(serverConfig);
        if (tcpPort < 0 || tcpPort > MAX_PORT) {
            throw new IllegalArgumentException("tcpPort must be 0.." + MAX_PORT + ": " + tcpPort);
        }
        if (!startupTimeout.isPositive() || !shutdownTimeout.isPositive()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        for (String name : serverConfig.keySet()) {
            if (EmbeddedPostgres.CONNECTION_SETTINGS.contains(name)) {
                throw new IllegalArgumentException(name + " is Vireo's to set (use tcpPort)");
            }
        }
    }

    /** No TCP listener, binaries in {@code ~/.cache/vireo}, default timeouts, PostgreSQL's default configuration. */
    public static EmbeddedPostgresSettings of(Path directory) {
        return new EmbeddedPostgresSettings(
                directory,
                0,
                Path.of(System.getProperty("user.home"), ".cache", "vireo"),
                DEFAULT_STARTUP_TIMEOUT,
                DEFAULT_SHUTDOWN_TIMEOUT,
                Map.of());
    }

    public EmbeddedPostgresSettings withTcpPort(int port) {
        return new EmbeddedPostgresSettings(
                directory, port, binariesCache, startupTimeout, shutdownTimeout, serverConfig);
    }

    public EmbeddedPostgresSettings withServerConfig(Map<String, String> config) {
        return new EmbeddedPostgresSettings(directory, tcpPort, binariesCache, startupTimeout, shutdownTimeout, config);
    }
}
