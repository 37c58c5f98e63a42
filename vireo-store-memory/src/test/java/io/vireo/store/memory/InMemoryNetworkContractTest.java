package io.vireo.store.memory;

import io.vireo.controller.port.NetworkContractTest;
import io.vireo.controller.port.NetworkRepository;

/** The network contract, on memory: the same tests as {@code PostgresNetworkContractTest}. */
class InMemoryNetworkContractTest extends NetworkContractTest {
    @Override
    protected NetworkRepository newNetworks() {
        return new InMemoryStore().networks();
    }
}
