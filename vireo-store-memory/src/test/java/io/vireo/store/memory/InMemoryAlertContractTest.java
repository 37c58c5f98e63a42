package io.vireo.store.memory;

import io.vireo.controller.port.AlertContractTest;
import io.vireo.controller.port.AlertRepository;
import io.vireo.controller.port.Repositories;

/** The alert contract, on memory: the same tests as {@code PostgresAlertContractTest}. */
class InMemoryAlertContractTest extends AlertContractTest {
    private InMemoryStore memory = new InMemoryStore();

    @Override
    protected Repositories newRepositories() {
        memory = new InMemoryStore();
        return memory.repositories();
    }

    @Override
    protected AlertRepository alerts() {
        return memory.alerts();
    }
}
