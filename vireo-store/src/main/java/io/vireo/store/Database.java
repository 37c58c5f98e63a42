package io.vireo.store;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vireo.common.ErrorCode;
import io.vireo.controller.port.AgentCredentialRepository;
import io.vireo.controller.port.AlertRepository;
import io.vireo.controller.port.IdentityRepositories;
import io.vireo.controller.port.MigrationRepository;
import io.vireo.controller.port.NetworkRepository;
import io.vireo.controller.port.Repositories;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool to Vireo's PostgreSQL database, with its schema migrated to the version this build expects.
 * {@link #start} opens the pool (failing fast if the server cannot be reached) and runs the Flyway migrations in
 * {@code db/migration}; several servers starting at once are safe, as Flyway serialises migrations with a lock.
 * {@link #close} closes the pool. Thread-safe.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    static final String MIGRATIONS = "classpath:db/migration";
    private static final String POOL_NAME = "vireo";

    private final DatabaseSettings settings;
    private final HikariDataSource dataSource;
    private final Repositories repositories;
    private final MigrationRepository migrations;
    private final NetworkRepository networks;
    private final AlertRepository alerts;
    private final IdentityRepositories identity;
    private final HostSignals hostSignals;
    private final AgentCredentialRepository agentCredentials;

    private Database(DatabaseSettings settings, HikariDataSource dataSource) {
        this.settings = settings;
        this.dataSource = dataSource;
        PostgresStore store = new PostgresStore(dataSource, settings.transactionAttempts());
        this.repositories = store.repositories();
        this.migrations = store.migrations();
        this.networks = store.networks();
        this.alerts = store.alerts();
        this.identity = store.identity();
        this.hostSignals = new HostSignals(new Jdbc(dataSource, settings.transactionAttempts()), settings);
        this.agentCredentials =
                new PostgresAgentCredentialRepository(new Jdbc(dataSource, settings.transactionAttempts()));
    }

    /** Opens the pool and migrates the schema; throws a {@link StoreException} (UNAVAILABLE or INTERNAL) if either fails. */
    public static Database start(DatabaseSettings settings) {
        requireNonNull(settings, "settings is null");
        HikariDataSource dataSource = openPool(settings);
        try {
            migrate(dataSource);
            return new Database(settings, dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseSettings settings() {
        return settings;
    }

    /** Signals between the server replicas on this database (see {@link HostSignals}); closed with the database. */
    public HostSignals hostSignals() {
        return hostSignals;
    }

    /** Every store port, over this pool. */
    public Repositories repositories() {
        return repositories;
    }

    /** Networks, subnets, ports and their addresses (see {@link PostgresStore#networks()}). */
    public NetworkRepository networks() {
        return networks;
    }

    /** The active alerts (ADR 24). */
    public AlertRepository alerts() {
        return alerts;
    }

    /** Live migrations (see {@link PostgresStore#migrations()}). */
    public MigrationRepository migrations() {
        return migrations;
    }

    /** Projects, users and API tokens (see {@link PostgresStore#identity()}). */
    public IdentityRepositories identity() {
        return identity;
    }

    /** The CA, join tokens and host certificates (see {@link PostgresAgentCredentialRepository}). */
    public AgentCredentialRepository agentCredentials() {
        return agentCredentials;
    }

    /** Closes the pool: waits for borrowed connections to be returned, then closes every connection. */
    @Override
    public void close() {
        hostSignals.close();
        dataSource.close();
    }

    private static HikariDataSource openPool(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        String password = settings.password();
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(settings.maximumPoolSize());
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setConnectionInitSql(
                "SET statement_timeout = " + settings.statementTimeout().toMillis());
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException(
                    ErrorCode.UNAVAILABLE, "cannot connect to the database at " + settings.jdbcUrl(), e);
        }
    }

    private static void migrate(DataSource dataSource) {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations(MIGRATIONS)
                    .failOnMissingLocations(true)
                    // Version numbers are handed out per piece of work ahead of time, so a lower one (V7) may land
                    // after a higher one (V10) was applied; each touches its own tables and applies in any order.
                    .outOfOrder(true)
                    .load()
                    .migrate();
            log.info(
                    "database schema at version {} ({} migrations applied now)",
                    result.targetSchemaVersion,
                    result.migrationsExecuted);
        } catch (FlywayException e) {
            SQLException cause = sqlCause(e);
            throw cause != null
                    ? SqlErrors.translate(cause, SqlErrors.Violations.NONE)
                    : new StoreException(ErrorCode.INTERNAL, "cannot migrate the database schema", e);
        }
    }

    private static @Nullable SQLException sqlCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}
