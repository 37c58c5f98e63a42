package io.vireo.agent;

import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.fake.FakeMigrationFabric;
import io.vireo.agent.hypervisor.HypervisorDriver;
import java.time.Clock;
import java.util.random.RandomGenerator;

/** Makes the hypervisor driver named by {@link AgentConfig#driverName()}. */
@FunctionalInterface
public interface DriverFactory {
    HypervisorDriver create(AgentConfig config, Clock clock, RandomGenerator random);

    /**
     * The drivers this module builds itself: {@code fake}. Other drivers are added by wrapping this factory. The fake
     * drivers one factory builds share a {@link FakeMigrationFabric}, so their VMs can live-migrate among them (the
     * local agents of one {@code vireo up}).
     */
    static DriverFactory builtIn() {
        FakeMigrationFabric fabric = new FakeMigrationFabric();
        return (config, clock, random) -> {
            if (config.driverName().equals(FakeDriver.NAME)) {
                return new FakeDriver(config.fakeDriverSettings(), config.stateDir(), clock, random, fabric);
            }
            throw new IllegalArgumentException("unknown driver '" + config.driverName() + "'");
        };
    }
}
