package io.vireo.store;

import io.vireo.controller.port.Repositories;
import io.vireo.controller.port.RepositoryContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract against a real PostgreSQL: one database for the class, on the test JVM's embedded server; tables
 * are emptied before each test.
 */
class PostgresStoreContractTest extends RepositoryContractTest {
    private static Database database;

    @BeforeAll
    static void openDatabase() {
        database = Database.start(TestPostgres.freshDatabase("contract"));
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
}
