package io.vireo.store;

import io.vireo.model.Project;
import io.vireo.model.User;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Settings and chores shared by the tests that run a real PostgreSQL. initdb and the first migration are the slowest
 * part of a start, so they run once per test JVM, into {@link #template}; the shared server ({@link #freshDatabase})
 * and every test that needs its own server start from a copy of it ({@link #copyCluster}).
 */
final class TestPostgres {
    /** Tests never survive an operating-system crash, so they need not pay for fsync. */
    static final Map<String, String> FAST =
            Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off");

    private static @Nullable Path template;
    private static @Nullable EmbeddedPostgres shared;

    private TestPostgres() {}

    static EmbeddedPostgresSettings settings(Path directory) {
        return EmbeddedPostgresSettings.of(directory).withServerConfig(FAST);
    }

    /**
     * A new, empty database of that name on the test JVM's shared server (started on first use, stopped and deleted
     * when the JVM exits); {@link Database#start} migrates it.
     */
    static synchronized DatabaseSettings freshDatabase(String name) {
        EmbeddedPostgres server = shared;
        if (server == null) {
            server = startShared();
            shared = server;
        }
        try (Connection connection = server.superuserConnection("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
            statement.execute("CREATE DATABASE " + name + " OWNER " + EmbeddedPostgres.USER);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return server.databaseSettings(name);
    }

    private static EmbeddedPostgres startShared() {
        try {
            Path directory = Files.createTempDirectory("vireo-store-test");
            copyCluster(template(), directory);
            EmbeddedPostgres server = EmbeddedPostgres.start(settings(directory));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                delete(directory);
            }));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stopped Vireo directory whose cluster initdb made and Flyway migrated, made once per test JVM. */
    static synchronized Path template() {
        Path made = template;
        if (made != null) {
            return made;
        }
        try {
            Path directory = Files.createTempDirectory("vireo-store-template");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory)));
            try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(directory));
                    Database database = Database.start(postgres.databaseSettings())) {
                database.repositories().hosts().list();
            }
            template = directory;
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Empties every table the store writes (and, by CASCADE, those referring to them), keeping the schema, the seeded
     * admin project and the built-in admin user (without a password).
     */
    static void truncate(Database database) {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "TRUNCATE alerts, ip_allocations, ports, subnets, networks, migrations, allocations, volumes, vms,"
                            + " hosts, events, flavors, images,"
                            + " server_groups, api_tokens RESTART IDENTITY CASCADE");
            statement.execute("DELETE FROM users WHERE id <> '" + User.ADMIN_ID + "'");
            statement.execute("UPDATE users SET password_hash = NULL");
            statement.execute("DELETE FROM projects WHERE id <> '" + Project.ADMIN_ID + "'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a stopped cluster's directory (its password files too), permissions included, leaving out the lock. */
    static void copyCluster(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                String name = from.relativize(file).toString();
                if (name.equals(EmbeddedPostgres.LOCK_FILE)) {
                    continue;
                }
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(file));
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Stops a server a failed test left running on this Vireo directory. */
    static void stopLeftovers(Path directory) throws IOException {
        Path data = directory.resolve(EmbeddedPostgres.DATA_DIRECTORY);
        if (Files.isDirectory(data)) {
            OrphanedPostmaster.stopIfRunning(data, java.time.Duration.ofSeconds(30));
        }
    }

    static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
