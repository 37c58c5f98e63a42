package io.vireo.store.memory;

import io.vireo.controller.port.Repositories;
import io.vireo.controller.port.RepositoryContractTest;

/** The shared store contract, on memory: the same tests as {@code PostgresStoreContractTest}. */
class InMemoryStoreContractTest extends RepositoryContractTest {
    @Override
    protected Repositories newRepositories() {
        return new InMemoryStore().repositories();
    }
}
