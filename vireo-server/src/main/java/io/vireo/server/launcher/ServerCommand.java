package io.vireo.server.launcher;

import static java.util.Objects.requireNonNull;

import io.vireo.cli.CliEnvironment;
import io.vireo.server.VireoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vireo server}: the control plane alone; agents run elsewhere and dial it. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Run the Vireo server (API and agent endpoint).")
final class ServerCommand implements Callable<Integer> {
    /** The syslog APP-NAME of {@code vireo server} and {@code up}. */
    static final String SERVER_APP_NAME = "vireo-server";

    private final CliEnvironment environment;

    @Mixin
    ServerOptions options = new ServerOptions();

    @Mixin
    LogOptions logs = new LogOptions();

    @Option(names = "--db-url", description = "JDBC URL of an external PostgreSQL (default: embedded).")
    @Nullable
    String dbUrl;

    @Option(names = "--db-user", description = "Database user (with --db-url).")
    @Nullable
    String dbUser;

    @Option(names = "--db-password-file", description = "File holding the database password (with --db-url).")
    @Nullable
    Path dbPasswordFile;

    ServerCommand(CliEnvironment environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        logs.apply(SERVER_APP_NAME);
        options.capacityDefaults(); // a bad value fails here, before the data directory is touched
        options.alertmanagerUrls();
        Path dataDir = options.dataDir(environment.variables());
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir)) {
            VireoServer server = VireoServer.start(options.config(environment.variables(), dbUrl, dbUser, password()));
            environment
                    .out()
                    .println("Vireo server: API " + server.apiUrl()
                            + server.apiTrustFile()
                                    .map(ca -> " (CA certificate " + ca + ")")
                                    .orElse("")
                            + ", agents on port " + server.agentPort());
            environment.out().flush();
            awaitShutdown(server);
        }
        return 0;
    }

    private @Nullable String password() {
        Path file = dbPasswordFile;
        if (file == null) {
            return null;
        }
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes {@code resources} in order. */
    static void awaitShutdown(AutoCloseable... resources) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("vireo: stopping " + resource + " failed: " + e);
                }
            }
            stopped.countDown();
        }));
        stopped.await();
    }
}
