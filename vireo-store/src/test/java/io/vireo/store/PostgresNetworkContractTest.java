package io.vireo.store;

import io.vireo.controller.port.NetworkContractTest;
import io.vireo.controller.port.NetworkRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The network contract against a real PostgreSQL (V39 schema); tables are emptied before each test. */
class PostgresNetworkContractTest extends NetworkContractTest {
    private static Database database;

    @BeforeAll
    static void openDatabase() {
        database = Database.start(TestPostgres.freshDatabase("networks"));
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Override
    protected NetworkRepository newNetworks() {
        TestPostgres.truncate(database);
        return database.networks();
    }
}
