package io.vireo.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How {@link Database} connects: where, as whom, and the limits of its connection pool.
 *
 * @param maximumPoolSize connections the pool opens at most; callers beyond it wait up to {@code connectionTimeout}
 * @param connectionTimeout how long a caller waits for a pooled connection before the store reports UNAVAILABLE
 * @param statementTimeout how long one SQL statement may run before PostgreSQL cancels it
 * @param transactionAttempts how many times a transaction that lost a deadlock or serialization race is run in all
 */
public record DatabaseSettings(
        String jdbcUrl,
        String user,
        @Nullable String password,
        int maximumPoolSize,
        Duration connectionTimeout,
        Duration statementTimeout,
        int transactionAttempts) {
    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 16;
    public static final int MAX_POOL_SIZE = 1000;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /** HikariCP refuses anything shorter. */
    public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_TRANSACTION_ATTEMPTS = 5;
    public static final int MAX_TRANSACTION_ATTEMPTS = 100;

    public DatabaseSettings {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(user, "user is null");
        requireNonNull(connectionTimeout, "connectionTimeout is null");
        requireNonNull(statementTimeout, "statementTimeout is null");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must be a jdbc:postgresql: URL: " + jdbcUrl);
        }
        if (maximumPoolSize < 1 || maximumPoolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("maximumPoolSize must be 1.." + MAX_POOL_SIZE + ": " + maximumPoolSize);
        }
        if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connectionTimeout must be at least " + MIN_CONNECTION_TIMEOUT);
        }
        if (statementTimeout.isNegative() || statementTimeout.isZero()) {
            throw new IllegalArgumentException("statementTimeout must be positive");
        }
        if (transactionAttempts < 1 || transactionAttempts > MAX_TRANSACTION_ATTEMPTS) {
            throw new IllegalArgumentException(
                    "transactionAttempts must be 1.." + MAX_TRANSACTION_ATTEMPTS + ": " + transactionAttempts);
        }
    }

    /** The default limits, for a server at {@code jdbcUrl}. */
    public static DatabaseSettings of(String jdbcUrl, String user, @Nullable String password) {
        return new DatabaseSettings(
                jdbcUrl,
                user,
                password,
                DEFAULT_MAXIMUM_POOL_SIZE,
                DEFAULT_CONNECTION_TIMEOUT,
                DEFAULT_STATEMENT_TIMEOUT,
                DEFAULT_TRANSACTION_ATTEMPTS);
    }

    public DatabaseSettings withMaximumPoolSize(int size) {
        return new DatabaseSettings(
                jdbcUrl, user, password, size, connectionTimeout, statementTimeout, transactionAttempts);
    }

    public DatabaseSettings withConnectionTimeout(Duration timeout) {
        return new DatabaseSettings(
                jdbcUrl, user, password, maximumPoolSize, timeout, statementTimeout, transactionAttempts);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "DatabaseSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password="
                + (password == null ? "none" : "***") + ", maximumPoolSize=" + maximumPoolSize
                + ", connectionTimeout=" + connectionTimeout + ", statementTimeout=" + statementTimeout
                + ", transactionAttempts=" + transactionAttempts + "]";
    }
}
