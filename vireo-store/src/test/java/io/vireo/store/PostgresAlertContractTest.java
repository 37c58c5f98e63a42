package io.vireo.store;

import io.vireo.controller.port.AlertContractTest;
import io.vireo.controller.port.AlertRepository;
import io.vireo.controller.port.Repositories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The alert contract against a real PostgreSQL (V40 schema); tables are emptied before each test. */
class PostgresAlertContractTest extends AlertContractTest {
    private static Database database;

    @BeforeAll
    static void openDatabase() {
        database = Database.start(TestPostgres.freshDatabase("alerts"));
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Override
    protected Repositories newRepositories() {
        TestPostgres.truncate(database);
        return database.repositories();
    }

    @Override
    protected AlertRepository alerts() {
        return database.alerts();
    }
}
