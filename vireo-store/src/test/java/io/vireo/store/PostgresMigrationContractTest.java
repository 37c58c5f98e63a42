package io.vireo.store;

import io.vireo.controller.port.MigrationContractTest;
import io.vireo.controller.port.MigrationRepository;
import io.vireo.controller.port.Repositories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The migration contract against a real PostgreSQL (V4 schema); tables are emptied before each test. */
class PostgresMigrationContractTest extends MigrationContractTest {
    private static Database database;

    @BeforeAll
    static void openDatabase() {
        database = Database.start(TestPostgres.freshDatabase("migrations"));
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
    protected MigrationRepository migrations() {
        return database.migrations();
    }
}
