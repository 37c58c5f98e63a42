package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.store.SqlErrors.Violations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The adapters' one way to the database: runs work on a pooled connection, in a transaction when asked, and turns
 * {@link SQLException}s into Vireo errors. A transaction that loses a deadlock or a serialization race is run again,
 * up to {@code transactionAttempts} times in all. Thread-safe.
 */
final class Jdbc {
    private final DataSource dataSource;
    private final int transactionAttempts;

    /** Work on a connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    Jdbc(DataSource dataSource, int transactionAttempts) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        if (transactionAttempts < 1) {
            throw new IllegalArgumentException("transactionAttempts must be positive");
        }
        this.transactionAttempts = transactionAttempts;
    }

    int transactionAttempts() {
        return transactionAttempts;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    <T> T inTransaction(SqlWork<T> work) {
        return inTransaction(work, Violations.NONE);
    }

    <T> T inTransaction(SqlWork<T> work, Violations violations) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                return runAndCommit(connection, work);
            } catch (SQLException e) {
                if (attempt >= transactionAttempts || !SqlErrors.retryable(e)) {
                    throw SqlErrors.translate(e, violations);
                }
            }
        }
    }

    /** Runs {@code work} with auto-commit: each statement is its own transaction. */
    <T> T autoCommit(SqlWork<T> work) {
        return autoCommit(work, Violations.NONE);
    }

    <T> T autoCommit(SqlWork<T> work, Violations violations) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw SqlErrors.translate(e, violations);
        }
    }

    /** Runs one statement with auto-commit and returns its update count. */
    int update(String sql, @Nullable Object... parameters) {
        return autoCommit(connection -> update(connection, sql, parameters));
    }

    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, @Nullable Object... parameters) {
        return autoCommit(connection -> queryOne(connection, sql, mapper, parameters));
    }

    <T> List<T> queryList(String sql, RowMapper<T> mapper, @Nullable Object... parameters) {
        return autoCommit(connection -> queryList(connection, sql, mapper, parameters));
    }

    static int update(Connection connection, String sql, @Nullable Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    static <T> Optional<T> queryOne(
            Connection connection, String sql, RowMapper<T> mapper, @Nullable Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
        }
    }

    static <T> List<T> queryList(Connection connection, String sql, RowMapper<T> mapper, @Nullable Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        }
    }

    /** Binds parameters by position; {@link Rows#bind} knows the types the adapters use. */
    static PreparedStatement prepare(Connection connection, String sql, @Nullable Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                Rows.bind(statement, i + 1, parameters[i]);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static <T> T runAndCommit(Connection connection, SqlWork<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        }
    }

    private static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
