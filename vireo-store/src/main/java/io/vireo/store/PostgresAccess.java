package io.vireo.store;

import io.vireo.common.SecretFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Who may log in to the embedded server, and as what: its {@code pg_hba.conf} and Vireo's role. */
final class PostgresAccess {
    private PostgresAccess() {}

    /** Opens a superuser connection to a database. */
    @FunctionalInterface
    interface Opener {
        Connection open(String database) throws SQLException;
    }

    /**
     * Writes {@code pg_hba.conf}, the same at every start: scram-sha-256 on the socket for every role; over TCP, only
     * role {@value EmbeddedPostgres#USER}; nothing else. {@code legacyTrust} adds a trust line for the socket, for the
     * one start that gives an older cluster its passwords.
     */
    static void writeHostBasedAuthentication(Path data, boolean legacyTrust, boolean tcp) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Written by Vireo at every start of its embedded PostgreSQL; changes here are overwritten.");
        lines.add("# TYPE DATABASE USER ADDRESS METHOD");
        if (legacyTrust) {
            lines.add("local all all trust");
        }
        lines.add("local all all scram-sha-256");
        if (tcp) {
            lines.add("host all " + EmbeddedPostgres.USER + " 127.0.0.1/32 scram-sha-256");
        }
        Path file = data.resolve("pg_hba.conf");
        SecretFiles.privateFile(file);
        Files.write(file, lines);
    }

    /**
     * Makes role {@value EmbeddedPostgres#USER} (login with {@code password}; no superuser, no role or database
     * creation, no replication, no bypass of row security) and the {@value EmbeddedPostgres#DATABASE} database it
     * owns. A database an older Vireo made as the superuser is handed over with everything in its public schema.
     */
    static void prepareRole(Connection superuser, String password, Opener opener) throws SQLException {
        String role = EmbeddedPostgres.USER;
        try (Statement statement = superuser.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            if (!exists(superuser, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
                statement.execute("CREATE ROLE " + role);
            }
            statement.execute("ALTER ROLE " + role + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                    + " NOBYPASSRLS PASSWORD " + PostgresAccess.literal(password));
            String owner = databaseOwner(superuser, EmbeddedPostgres.DATABASE);
            if (owner == null) {
                statement.execute("CREATE DATABASE " + EmbeddedPostgres.DATABASE + " OWNER " + role);
            } else if (!owner.equals(role)) {
                statement.execute("ALTER DATABASE " + EmbeddedPostgres.DATABASE + " OWNER TO " + role);
                try (Connection database = opener.open(EmbeddedPostgres.DATABASE);
                        Statement handOver = database.createStatement()) {
                    handOver.execute(HAND_OVER);
                }
            }
        }
    }

    /** Gives role vireo every table, view, sequence, function and type in schema public (tables first: they carry
     * their own sequences). */
    private static final String HAND_OVER = """
            DO $$
            DECLARE r record;
            BEGIN
              FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
                    AND pg_get_userbyid(c.relowner) <> 'vireo' LOOP
                EXECUTE format('ALTER %s %s OWNER TO vireo',
                    CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.name);
              END LOOP;
              FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'public' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> 'vireo' LOOP
                EXECUTE format('ALTER SEQUENCE %s OWNER TO vireo', r.name);
              END LOOP;
              FOR r IN SELECT p.oid::regprocedure AS name, p.prokind FROM pg_proc p
                  JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> 'vireo' LOOP
                EXECUTE format('ALTER %s %s OWNER TO vireo',
                    CASE r.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, r.name);
              END LOOP;
              FOR r IN SELECT t.oid::regtype AS name FROM pg_type t
                  JOIN pg_namespace n ON n.oid = t.typnamespace
                  WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd') AND pg_get_userbyid(t.typowner) <> 'vireo' LOOP
                EXECUTE format('ALTER TYPE %s OWNER TO vireo', r.name);
              END LOOP;
            END $$
            """;

    /** A password Vireo made, as an SQL string literal: its alphabet needs no escaping, and is checked. */
    static String literal(String secret) {
        if (!SecretFiles.isSecret(secret)) {
            throw new IllegalArgumentException("not a password Vireo made");
        }
        return "'" + secret + "'";
    }

    private static boolean exists(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static @Nullable String databaseOwner(Connection connection, String database) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }
}
