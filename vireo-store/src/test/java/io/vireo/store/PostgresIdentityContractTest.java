package io.vireo.store;

import io.vireo.controller.port.IdentityContractTest;
import io.vireo.controller.port.IdentityRepositories;
import io.vireo.controller.port.Repositories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The identity contract against a real PostgreSQL (V21 schema); tables are emptied before each test. */
class PostgresIdentityContractTest extends IdentityContractTest {
    private static Database database;

    @BeforeAll
    static void openDatabase() {
        database = Database.start(TestPostgres.freshDatabase("identity"));
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
    protected IdentityRepositories identity() {
        return database.identity();
    }
}
