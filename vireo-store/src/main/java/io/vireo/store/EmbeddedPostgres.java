package io.vireo.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from the binaries in a Maven artifact, for {@code vireo up} and tests. The cluster lives in
 * {@code DIR/postgres} and is kept across restarts.
 *
 * <p><b>Who may reach it.</b> The server listens on a UNIX socket in {@code DIR/postgres-socket}, a 0700 directory of
 * the user running Vireo, and on no TCP port unless {@link EmbeddedPostgresSettings#tcpPort} names one (127.0.0.1
 * only). Every login needs a password (scram-sha-256). Vireo's server logs in as role {@value #USER}, which owns the
 * {@value #DATABASE} database and is not a superuser: it cannot read or write server files or run programs. The
 * superuser {@value #SUPERUSER} is used only here, to create that role, and only through the socket; over TCP it is
 * refused. Both passwords are random, made on the first start and kept in 0600 files in {@code DIR}. As root,
 * PostgreSQL (which refuses to run as root) runs in a user namespace of its own; its files stay root's, and only root
 * can enter the socket's directory, so a superuser session is open only to root itself.
 *
 * <p>Files in {@code DIR}: {@code postgres/} (the cluster, 0700), {@code postgres-socket/}, {@code postgres.lock}
 * (held while this object owns the directory, so two processes never run servers on one cluster),
 * {@code postgres.initialized} (written once the first initdb has finished: a cluster without it is a half-made one
 * and is moved aside), {@code postgres.log} (the server's output, 0600), {@value #SUPERUSER_PASSWORD_FILE} and
 * {@value #PASSWORD_FILE} (0600). A cluster made by an older Vireo (trust logins, no passwords) is given passwords and
 * the {@value #USER} role on its first start here.
 *
 * <p>Start-up survives a previous owner killed with kill -9: see {@link OrphanedPostmaster}. {@link #close} is
 * idempotent and may be called from any thread (a shutdown hook, say); the rest is read-only after {@link #start}.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    public static final String SUPERUSER = "postgres";
    /** Vireo's own role: owns {@value #DATABASE}, not a superuser. */
    public static final String USER = "vireo";

    public static final String DATABASE = "vireo";
    public static final String PASSWORD_FILE = "postgres.vireo-password";
    static final String SUPERUSER_PASSWORD_FILE = "postgres.superuser-password";
    static final String DATA_DIRECTORY = "postgres";
    static final String SOCKET_DIRECTORY = "postgres-socket";
    static final String LOCK_FILE = "postgres.lock";
    static final String INITIALIZED_MARKER = "postgres.initialized";
    static final String LOG_FILE = "postgres.log";
    /** The port that names the socket file when PostgreSQL listens on no TCP port. */
    static final int SOCKET_PORT = 5432;
    /** {@code sizeof(sockaddr_un.sun_path)} less the terminating NUL. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);
    /** PostgreSQL's own defaults, stated on the command line so that no configuration file or library turns them off. */
    static final Map<String, String> DURABILITY =
            Map.of("synchronous_commit", "on", "fsync", "on", "full_page_writes", "on");
    /** Settings that decide who can connect: Vireo sets them, {@link EmbeddedPostgresSettings#serverConfig} may not. */
    static final Set<String> CONNECTION_SETTINGS = Set.of(
            "listen_addresses",
            "port",
            "unix_socket_directories",
            "unix_socket_permissions",
            "unix_socket_group",
            "hba_file",
            "ident_file",
            "password_encryption");

    private final EmbeddedPostgresSettings settings;
    private final DirectoryLock lock;
    private final PostgresCommands commands;
    private final String password;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgres(
            EmbeddedPostgresSettings settings, DirectoryLock lock, PostgresCommands commands, String password) {
        this.settings = settings;
        this.lock = lock;
        this.commands = commands;
        this.password = password;
    }

    /**
     * Takes the directory, stops a server a dead owner left running, starts the server (running initdb on the first
     * start), and makes Vireo's role and the {@value #DATABASE} database if missing. Throws {@link StoreException}
     * UNAVAILABLE if another process owns the directory or the server does not start.
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
        } catch (IOException e) {
            throw new StoreException(
                    ErrorCode.UNAVAILABLE, "cannot start PostgreSQL in " + settings.directory() + ": " + e, e);
        }
    }

    private static EmbeddedPostgres startLocked(EmbeddedPostgresSettings settings, DirectoryLock lock)
            throws IOException {
        Path directory = settings.directory();
        Path data = directory.resolve(DATA_DIRECTORY);
        requireSafePath(directory);
        if (Files.isDirectory(data)) {
            OrphanedPostmaster.stopIfRunning(data, settings.shutdownTimeout());
        }
        setAsideUnfinishedCluster(directory);
        Path socketFile = socketFile(directory, settings.tcpPort());
        if (socketFile.toString().getBytes(UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            throw new StoreException(
                    ErrorCode.UNAVAILABLE,
                    "the PostgreSQL socket path " + socketFile + " is longer than " + MAX_SOCKET_PATH_BYTES
                            + " bytes; use a shorter data directory");
        }
        PostgresCommands commands =
                PostgresCommands.prepare(settings, PostgresBinaries.prepare(settings.binariesCache()));
        SecretFiles.privateDirectory(directory.resolve(SOCKET_DIRECTORY));
        SecretFiles.privateFile(directory.resolve(LOG_FILE));

        Path superuserPasswordFile = directory.resolve(SUPERUSER_PASSWORD_FILE);
        boolean fresh = !Files.exists(directory.resolve(INITIALIZED_MARKER));
        boolean legacy = !fresh && !Files.exists(superuserPasswordFile);
        if (fresh) {
            SecretFiles.writeNew(superuserPasswordFile);
            commands.initdb(data, superuserPasswordFile);
            Files.writeString(directory.resolve(INITIALIZED_MARKER), "initdb done\n");
        }
        PostgresAccess.writeHostBasedAuthentication(data, legacy, settings.tcpPort() != 0);
        Process postmaster = commands.startPostmaster(data, serverOptions(settings, directory));
        try {
            String superuserPassword;
            if (legacy) {
                superuserPassword = adoptLegacyCluster(settings, postmaster, socketFile, superuserPasswordFile);
            } else {
                superuserPassword = SecretFiles.read(superuserPasswordFile);
                awaitReady(settings, postmaster, socketFile, superuserPassword);
            }
            String password = SecretFiles.readOrCreate(directory.resolve(PASSWORD_FILE));
            try (Connection connection = connect(socketFile, "postgres", SUPERUSER, superuserPassword)) {
                PostgresAccess.prepareRole(
                        connection, password, database -> connect(socketFile, database, SUPERUSER, superuserPassword));
            }
            log.info(
                    "PostgreSQL is ready on {}{}",
                    socketFile,
                    settings.tcpPort() == 0 ? "" : " and 127.0.0.1:" + settings.tcpPort());
            return new EmbeddedPostgres(settings, lock, commands, password);
        } catch (SQLException e) {
            stopQuietly(commands, data, settings, e);
            throw SqlErrors.translate(e, SqlErrors.Violations.NONE);
        } catch (IOException | RuntimeException e) {
            stopQuietly(commands, data, settings, e);
            throw e;
        }
    }

    /**
     * A cluster initdb made with trust logins and no passwords (before this version): its server was started with
     * trust on the socket only (whose directory only this user can enter), gets a superuser password here, and then
     * the scram-only configuration.
     */
    private static String adoptLegacyCluster(
            EmbeddedPostgresSettings settings, Process postmaster, Path socketFile, Path superuserPasswordFile)
            throws IOException, SQLException {
        awaitReady(settings, postmaster, socketFile, null);
        log.warn("the cluster in {} allowed logins without a password; giving it passwords", settings.directory());
        String superuserPassword = SecretFiles.writeNew(superuserPasswordFile);
        try (Connection connection = connect(socketFile, "postgres", SUPERUSER, null);
                Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD " + PostgresAccess.literal(superuserPassword));
            PostgresAccess.writeHostBasedAuthentication(
                    settings.directory().resolve(DATA_DIRECTORY), false, settings.tcpPort() != 0);
            statement.execute("SELECT pg_reload_conf()");
        }
        return superuserPassword;
    }

    private static Map<String, String> serverOptions(EmbeddedPostgresSettings settings, Path directory) {
        Map<String, String> options = new TreeMap<>(DURABILITY);
        options.putAll(settings.serverConfig());
        boolean tcp = settings.tcpPort() != 0;
        options.put("listen_addresses", tcp ? "127.0.0.1" : "");
        options.put("port", Integer.toString(tcp ? settings.tcpPort() : SOCKET_PORT));
        options.put("unix_socket_directories", "\"" + directory.resolve(SOCKET_DIRECTORY) + "\"");
        options.put("unix_socket_permissions", "0700");
        options.put("password_encryption", "scram-sha-256");
        return options;
    }

    /** Waits until the server accepts this login, failing at once if the server exits or refuses the password. */
    private static void awaitReady(
            EmbeddedPostgresSettings settings, Process postmaster, Path socketFile, @Nullable String superuserPassword)
            throws IOException {
        long deadline = System.nanoTime() + settings.startupTimeout().toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!postmaster.isAlive()) {
                throw new StoreException(
                        ErrorCode.UNAVAILABLE,
                        "PostgreSQL exited with status " + postmaster.exitValue() + " at start-up; see "
                                + settings.directory().resolve(LOG_FILE));
            }
            try (Connection ignored = connect(socketFile, "postgres", SUPERUSER, superuserPassword)) {
                return;
            } catch (SQLException e) {
                if ("28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState())) {
                    throw new StoreException(ErrorCode.UNAVAILABLE, "PostgreSQL refused the superuser login", e);
                }
                last = e;
            }
            try {
                postmaster.waitFor(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for PostgreSQL", e);
            }
        }
        String message = "PostgreSQL did not accept connections within " + settings.startupTimeout() + "; see "
                + settings.directory().resolve(LOG_FILE);
        throw last == null
                ? new StoreException(ErrorCode.UNAVAILABLE, message)
                : new StoreException(ErrorCode.UNAVAILABLE, message, last);
    }

    static Connection connect(Path socketFile, String database, String user, @Nullable String password)
            throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl(socketFile, database), properties);
    }

    private static void stopQuietly(
            PostgresCommands commands, Path data, EmbeddedPostgresSettings settings, Exception failure) {
        try {
            commands.stop(data);
            OrphanedPostmaster.stopIfRunning(data, settings.shutdownTimeout(), true);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The socket file of the embedded server of the Vireo directory {@code directory}, which listens on no TCP port. */
    public static Path socketFile(Path directory) {
        return socketFile(directory, 0);
    }

    private static Path socketFile(Path directory, int tcpPort) {
        return directory
                .toAbsolutePath()
                .normalize()
                .resolve(SOCKET_DIRECTORY)
                .resolve(".s.PGSQL." + (tcpPort == 0 ? SOCKET_PORT : tcpPort));
    }

    /** A JDBC URL for {@code database} over the UNIX socket {@code socketFile}. */
    public static String jdbcUrl(Path socketFile, String database) {
        return "jdbc:postgresql://localhost/" + database + "?socketFactory=" + UnixSocketFactory.class.getName()
                + "&socketFactoryArg=" + URLEncoder.encode(socketFile.toString(), UTF_8) + "&sslmode=disable";
    }

    /** The port on 127.0.0.1 where the server listens, if it was configured to. */
    public OptionalInt tcpPort() {
        return settings.tcpPort() == 0 ? OptionalInt.empty() : OptionalInt.of(settings.tcpPort());
    }

    public Path socketFile() {
        return socketFile(settings.directory(), settings.tcpPort());
    }

    /** The URL of the {@value #DATABASE} database over the socket. */
    public String jdbcUrl() {
        return jdbcUrl(socketFile(), DATABASE);
    }

    /** The file holding the password of role {@value #USER} (0600). */
    public Path passwordFile() {
        return settings.directory().resolve(PASSWORD_FILE);
    }

    /** The default pool settings for this server's {@value #DATABASE} database, as role {@value #USER}. */
    public DatabaseSettings databaseSettings() {
        return databaseSettings(DATABASE);
    }

    /** The default pool settings for {@code database} on this server, as role {@value #USER}. */
    public DatabaseSettings databaseSettings(String database) {
        return DatabaseSettings.of(jdbcUrl(socketFile(), database), USER, password);
    }

    /**
     * A superuser connection through the socket, for administration such as creating a database for
     * {@value #USER} ({@code CREATE DATABASE x OWNER vireo}).
     */
    public Connection superuserConnection(String database) throws SQLException {
        try {
            return connect(
                    socketFile(),
                    database,
                    SUPERUSER,
                    SecretFiles.read(settings.directory().resolve(SUPERUSER_PASSWORD_FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
            commands.stop(dataDirectory());
            // pg_ctl may give up before a slow shutdown ends; make sure nothing is left running.
            OrphanedPostmaster.stopIfRunning(dataDirectory(), settings.shutdownTimeout(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.close();
        }
    }

    /**
     * Refuses a directory whose path PostgreSQL's configuration could not carry safely (a double quote ends the quoted
     * socket directory, a control character a configuration line).
     */
    private static void requireSafePath(Path directory) {
        String path = directory.toString();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '"' || c == '\'' || Character.isISOControl(c)) {
                throw new StoreException(
                        ErrorCode.UNAVAILABLE,
                        "the data directory's path may not contain quotes or control characters: " + directory);
            }
        }
    }

    /**
     * A cluster directory without the marker was left by an initdb that did not finish. Moves it aside rather than
     * deleting anything.
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
            if (!Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
                log.warn("moving the unfinished cluster in {} to {}", data, aside);
                Files.move(data, aside);
                return;
            }
        }
    }

    /** The arguments of {@code -c name=value} options, in a stable order. */
    static List<String> optionArguments(Map<String, String> options) {
        List<String> arguments = new ArrayList<>();
        new TreeMap<>(options).forEach((name, value) -> {
            arguments.add("-c");
            arguments.add(name + "=" + value);
        });
        return arguments;
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
