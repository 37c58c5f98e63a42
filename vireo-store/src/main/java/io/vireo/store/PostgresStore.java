package io.vireo.store;

import io.vireo.controller.port.AlertRepository;
import io.vireo.controller.port.IdentityRepositories;
import io.vireo.controller.port.MigrationRepository;
import io.vireo.controller.port.NetworkRepository;
import io.vireo.controller.port.Repositories;
import javax.sql.DataSource;

/**
 * Every store port on PostgreSQL, over a pooled {@link DataSource} whose schema {@link Database} has migrated.
 * Stateless apart from the pool: any number of threads, and any number of server replicas sharing the database, may
 * use it at once; the database's transactions and constraints do the coordination.
 */
public final class PostgresStore {
    private final Repositories repositories;
    private final MigrationRepository migrations;
    private final IdentityRepositories identity;
    private final NetworkRepository networks;
    private final AlertRepository alerts;

    /**
     * @param transactionAttempts how many times a transaction that lost a deadlock or serialization race is run in all
     */
    public PostgresStore(DataSource dataSource, int transactionAttempts) {
        Jdbc jdbc = new Jdbc(dataSource, transactionAttempts);
        this.repositories = new Repositories(
                new PostgresHostRepository(jdbc),
                new PostgresVmRepository(jdbc),
                new PostgresClaimRepository(jdbc),
                new PostgresEventRepository(jdbc),
                new PostgresFlavorRepository(jdbc),
                new PostgresImageRepository(jdbc),
                new PostgresServerGroupRepository(jdbc),
                new PostgresVmStatsRepository(jdbc),
                new PostgresVolumeRepository(jdbc),
                new PostgresAuditRepository(jdbc));
        this.migrations = new PostgresMigrationRepository(jdbc);
        this.networks = new PostgresNetworkRepository(jdbc);
        this.alerts = new PostgresAlertRepository(jdbc);
        this.identity = new IdentityRepositories(
                new PostgresProjectRepository(jdbc),
                new PostgresQuotaRepository(jdbc),
                new PostgresUserRepository(jdbc),
                new PostgresTokenRepository(jdbc));
    }

    public Repositories repositories() {
        return repositories;
    }

    /** Live migrations; not part of {@link Repositories}, which predates them. */
    public MigrationRepository migrations() {
        return migrations;
    }

    /** Networks, subnets, ports and their addresses (ADR 23). */
    public NetworkRepository networks() {
        return networks;
    }

    /** The active alerts (ADR 24). */
    public AlertRepository alerts() {
        return alerts;
    }

    /** Projects, their quotas, users and API tokens. */
    public IdentityRepositories identity() {
        return identity;
    }
}
