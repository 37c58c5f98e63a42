package io.vireo.server.launcher;

import io.vireo.controller.ControllerSettings;
import io.vireo.server.ServerConfig;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options shared by {@code vireo up} and {@code vireo server}. */
final class ServerOptions {
    @Option(names = "--data-dir", description = "Data directory (default: $VIREO_DATA_DIR or ~/.vireo).")
    @Nullable
    Path dataDir;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on.")
    String bind = "127.0.0.1";

    @Option(names = "--api-port", defaultValue = "8080", description = "REST API port.")
    int apiPort;

    @Option(names = "--agent-port", defaultValue = "9090", description = "Port agents dial (gRPC).")
    int agentPort;

    @Option(
            names = "--scheduler-profile",
            defaultValue = "default",
            description = "Placement profile: default (spread, balanced), spread or pack.")
    String schedulerProfile = "default";

    @Option(
            names = "--max-image-size",
            defaultValue = "10737418240",
            description = "The largest image upload accepted, in bytes (default 10 GiB).")
    long maxImageBytes = 10L * 1024 * 1024 * 1024;

    static Path defaultDataDir(Map<String, String> environment) {
        String fromEnvironment = environment.get("VIREO_DATA_DIR");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        return Path.of(System.getProperty("user.home"), ".vireo");
    }

    Path dataDir(Map<String, String> environment) {
        Path chosen = dataDir;
        return (chosen == null ? defaultDataDir(environment) : chosen)
                .toAbsolutePath()
                .normalize();
    }

    ServerConfig config(
            Map<String, String> environment,
            @Nullable String dbUrl,
            @Nullable String dbUser,
            @Nullable String dbPassword) {
        return new ServerConfig(
                dataDir(environment),
                bind,
                apiPort,
                agentPort,
                dbUrl,
                dbUser,
                dbPassword,
                schedulerProfile,
                ControllerSettings.defaults(),
                maxImageBytes);
    }
}
