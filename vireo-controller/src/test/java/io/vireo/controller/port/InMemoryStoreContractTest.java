package io.vireo.controller.port;

import io.vireo.controller.memory.InMemoryStore;

class InMemoryStoreContractTest extends RepositoryContractTest {
    @Override
    protected Repositories newRepositories() {
        return new InMemoryStore().repositories();
    }
}
