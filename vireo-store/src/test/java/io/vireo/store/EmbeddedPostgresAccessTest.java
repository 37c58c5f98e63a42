package io.vireo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vireo.common.SecretFiles;
import io.vireo.model.Flavor;
import io.vireo.model.Resources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who can reach the embedded PostgreSQL: only the user running Vireo, through a socket in a private directory, with a
 * password; Vireo's own role cannot touch server files or run programs; the superuser never logs in over TCP; another
 * OS user gets nothing, even holding the password. A cluster made by an older Vireo (trust, no passwords) is adopted.
 */
class EmbeddedPostgresAccessTest {
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String INVALID_PASSWORD = "28P01";
    private static final String INVALID_AUTHORIZATION = "28000";

    @TempDir
    Path directory;

    @BeforeEach
    void copyTemplate() throws IOException {
        TestPostgres.copyCluster(TestPostgres.template(), directory);
    }

    /** Whatever a failed test left running on the directory must not outlive it. */
    @AfterEach
    void stopLeftovers() throws IOException {
        TestPostgres.stopLeftovers(directory);
    }

    @Test
    void listensOnAPrivateSocketOnlyAndKeepsItsFilesPrivate() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(TestPostgres.settings(directory));
                Connection superuser = postgres.superuserConnection("postgres")) {
            assertThat(show(superuser, "listen_addresses")).isEmpty();
            assertThat(show(superuser, "password_encryption")).isEqualTo("scram-sha-256");
            assertThat(mode(directory.resolve(EmbeddedPostgres.SOCKET_DIRECTORY)))
                    .isEqualTo("rwx------");
            assertThat(mode(postgres.dataDirectory())).isEqualTo("rwx------");
            assertThat(mode(postgres.passwordFile())).isEqualTo("rw-------");
            assertThat(mode(directory.resolve(EmbeddedPostgres.SUPERUSER_PASSWORD_FILE)))
                    .isEqualTo("rw-------");
            assertThat(mode(directory.resolve(EmbeddedPostgres.LOG_FILE))).isEqualTo("rw-------");
            assertThat(mode(postgres.dataDirectory().resolve("pg_hba.conf"))).isEqualTo("rw-------");
            assertThat(Files.readAllLines(postgres.dataDirectory().resolve("pg_hba.conf")))
                    .filteredOn(line -> !line.startsWith("#"))
                    .containsExactly("local all all scram-sha-256");
        }
    }

    @Test
    void vireosRoleOwnsItsDatabaseButCannotReachTheServersFilesOrPrograms() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(TestPostgres.settings(directory));
                Connection vireo = vireoConnection(postgres, SecretFiles.read(postgres.passwordFile()));
                Statement statement = vireo.createStatement()) {
            try (ResultSet row = statement.executeQuery(
                    "SELECT rolsuper, rolcreaterole, rolcreatedb" + " FROM pg_roles WHERE rolname = current_user")) {
                assertThat(row.next()).isTrue();
                assertThat(List.of(row.getBoolean(1), row.getBoolean(2), row.getBoolean(3)))
                        .containsOnly(false);
            }
            try (ResultSet row = statement.executeQuery(
                    "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo(EmbeddedPostgres.USER);
            }
            for (String attack : List.of(
                    "COPY (SELECT 1) TO PROGRAM 'id'",
                    "COPY (SELECT 1) TO '" + directory.resolve("written-by-postgres") + "'",
                    "SELECT pg_read_file('" + postgres.passwordFile() + "')",
                    "SELECT pg_ls_dir('.')",
                    "ALTER ROLE " + EmbeddedPostgres.USER + " SUPERUSER")) {
                assertThatThrownBy(() -> statement.execute(attack))
                        .as(attack)
                        .isInstanceOfSatisfying(
                                SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
            }
            assertThat(directory.resolve("written-by-postgres")).doesNotExist();
        }
    }

    @Test
    void everyLoginNeedsThePassword() {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(TestPostgres.settings(directory))) {
            assertThatThrownBy(() -> vireoConnection(postgres, "not-the-password"))
                    .isInstanceOfSatisfying(
                            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(INVALID_PASSWORD));
            assertThatThrownBy(() -> EmbeddedPostgres.connect(
                            postgres.socketFile(), "postgres", EmbeddedPostgres.SUPERUSER, null))
                    .isInstanceOf(SQLException.class);
        }
    }

    /** Configured to listen on TCP, it takes Vireo's role with its password there, and never the superuser. */
    @Test
    void overTcpOnlyVireosRoleMayLogIn() throws Exception {
        int port = freePort();
        try (EmbeddedPostgres postgres =
                EmbeddedPostgres.start(TestPostgres.settings(directory).withTcpPort(port))) {
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + EmbeddedPostgres.DATABASE + "?sslmode=disable";
            try (Connection vireo = DriverManager.getConnection(
                    url, EmbeddedPostgres.USER, SecretFiles.read(postgres.passwordFile()))) {
                assertThat(vireo.isValid(5)).isTrue();
            }
            String superuserPassword = SecretFiles.read(directory.resolve(EmbeddedPostgres.SUPERUSER_PASSWORD_FILE));
            assertThatThrownBy(() -> DriverManager.getConnection(url, EmbeddedPostgres.SUPERUSER, superuserPassword))
                    .isInstanceOfSatisfying(
                            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(INVALID_AUTHORIZATION));
            assertThatThrownBy(() -> DriverManager.getConnection(url, EmbeddedPostgres.USER, "guess"))
                    .isInstanceOfSatisfying(
                            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(INVALID_PASSWORD));
        }
    }

    /**
     * The attack that was possible before: another local user (here {@code nobody}) runs psql against the server.
     * Through the socket it is refused by the file system, even holding the superuser's password; over TCP the
     * superuser is refused, and Vireo's role needs its password.
     */
    @Test
    void anotherOsUserCannotLogIn() throws Exception {
        // in CI (CI=true) a skip is a failure (NoSkipsInCi): .ci/run installs postgresql-client and runs as root
        assumeThat("root".equals(System.getProperty("user.name")) && onPath("psql") && onPath("setpriv"))
                .as("needs root, psql (postgresql-client) and setpriv; skipping")
                .isTrue();
        // only the socket's own directory may stand in the way, not the test's temporary directory
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = freePort();
        try (EmbeddedPostgres postgres =
                EmbeddedPostgres.start(TestPostgres.settings(directory).withTcpPort(port))) {
            String superuserPassword = SecretFiles.read(directory.resolve(EmbeddedPostgres.SUPERUSER_PASSWORD_FILE));
            String socketDirectory =
                    directory.resolve(EmbeddedPostgres.SOCKET_DIRECTORY).toString();

            PsqlResult socket = psqlAsNobody(socketDirectory, port, EmbeddedPostgres.SUPERUSER, superuserPassword);
            assertThat(socket.status()).isNotZero();
            assertThat(socket.output()).containsIgnoringCase("permission denied");

            PsqlResult tcpSuperuser = psqlAsNobody("127.0.0.1", port, EmbeddedPostgres.SUPERUSER, superuserPassword);
            assertThat(tcpSuperuser.status()).isNotZero();
            assertThat(tcpSuperuser.output()).contains("no pg_hba.conf entry");

            PsqlResult tcpNoPassword = psqlAsNobody("127.0.0.1", port, EmbeddedPostgres.USER, null);
            assertThat(tcpNoPassword.status()).isNotZero();
            assertThat(tcpNoPassword.output()).contains("password");

            // the same psql with the right password gets in, so the refusals above are not psql failing to run
            PsqlResult allowed =
                    psqlAsNobody("127.0.0.1", port, EmbeddedPostgres.USER, SecretFiles.read(postgres.passwordFile()));
            assertThat(allowed.output()).contains("vireo-sees-1");
            assertThat(allowed.status()).isZero();
        }
    }

    /** A cluster an older Vireo made: trust logins, no passwords, no role vireo, everything owned by the superuser. */
    @Test
    void adoptsAClusterMadeWithoutPasswords() throws Exception {
        Flavor flavor = new Flavor(UUID.randomUUID(), "kept", Instant.EPOCH, new Resources(1, 512, 1));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(TestPostgres.settings(directory))) {
            try (Database database = Database.start(postgres.databaseSettings())) {
                database.repositories().flavors().create(flavor);
            }
            try (Connection vireoDatabase = postgres.superuserConnection(EmbeddedPostgres.DATABASE);
                    Statement statement = vireoDatabase.createStatement()) {
                statement.execute("REASSIGN OWNED BY " + EmbeddedPostgres.USER + " TO " + EmbeddedPostgres.SUPERUSER);
            }
            try (Connection postgresDatabase = postgres.superuserConnection("postgres");
                    Statement statement = postgresDatabase.createStatement()) {
                statement.execute("DROP ROLE " + EmbeddedPostgres.USER);
            }
        }
        Files.delete(directory.resolve(EmbeddedPostgres.PASSWORD_FILE));
        Files.delete(directory.resolve(EmbeddedPostgres.SUPERUSER_PASSWORD_FILE));
        Files.write(
                directory.resolve(EmbeddedPostgres.DATA_DIRECTORY).resolve("pg_hba.conf"),
                List.of("local all all trust", "host all all 127.0.0.1/32 trust"));

        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(TestPostgres.settings(directory));
                Database database = Database.start(postgres.databaseSettings())) {
            assertThat(database.repositories().flavors().find(flavor.id())).contains(flavor);
            try (Connection vireo = vireoConnection(postgres, SecretFiles.read(postgres.passwordFile()));
                    Statement statement = vireo.createStatement();
                    ResultSet foreign = statement.executeQuery("SELECT count(*) FROM pg_class c"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                            + " WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) <> current_user")) {
                assertThat(foreign.next()).isTrue();
                assertThat(foreign.getLong(1))
                        .as("relations in public not owned by vireo")
                        .isZero();
            }
            assertThatThrownBy(() -> EmbeddedPostgres.connect(
                            postgres.socketFile(), "postgres", EmbeddedPostgres.SUPERUSER, null))
                    .as("no login without a password any more")
                    .isInstanceOf(SQLException.class);
        }
    }

    private static Connection vireoConnection(EmbeddedPostgres postgres, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", EmbeddedPostgres.USER);
        properties.setProperty("password", password);
        return DriverManager.getConnection(postgres.jdbcUrl(), properties);
    }

    private static String show(Connection connection, String setting) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SHOW " + setting)) {
            assertThat(row.next()).isTrue();
            return row.getString(1);
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private record PsqlResult(int status, String output) {}

    private static PsqlResult psqlAsNobody(String host, int port, String user, @Nullable String password)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "psql",
                "--no-password",
                "--host=" + host,
                "--port=" + port,
                "--username=" + user,
                "--dbname=" + EmbeddedPostgres.DATABASE,
                "--tuples-only",
                "--command=SELECT 'vireo-sees-' || 1"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .directory(Path.of("/").toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("PG"));
        environment.put("HOME", "/nonexistent");
        if (password != null) {
            environment.put("PGPASSWORD", password);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new PsqlResult(process.exitValue(), output);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null
                && java.util.Arrays.stream(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
