package io.vireo.controller.port;

import io.vireo.controller.memory.InMemoryStore;

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
