package io.vireo.store.memory;

import io.vireo.controller.port.IdentityContractTest;
import io.vireo.controller.port.IdentityRepositories;
import io.vireo.controller.port.Repositories;

/** The identity contract, on memory: the same tests as {@code PostgresIdentityContractTest}. */
class InMemoryIdentityContractTest extends IdentityContractTest {
    private InMemoryStore memory = new InMemoryStore();

    @Override
    protected Repositories newRepositories() {
        memory = new InMemoryStore();
        return memory.repositories();
    }

    @Override
    protected IdentityRepositories identity() {
        return memory.identity();
    }
}
