package io.vireo.store.memory;

import io.vireo.controller.port.MigrationContractTest;
import io.vireo.controller.port.MigrationRepository;
import io.vireo.controller.port.Repositories;

/** The migration contract, on memory: the same tests as {@code PostgresMigrationContractTest}. */
class InMemoryMigrationContractTest extends MigrationContractTest {
    private InMemoryStore memory = new InMemoryStore();

    @Override
    protected Repositories newRepositories() {
        memory = new InMemoryStore();
        return memory.repositories();
    }

    @Override
    protected MigrationRepository migrations() {
        return memory.migrations();
    }
}
