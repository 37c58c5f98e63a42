package io.vireo.agent;

import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.hypervisor.HypervisorDriver;
import java.time.Clock;
import java.util.random.RandomGenerator;

/** Makes the hypervisor driver named by {@link AgentConfig#driverName()}. */
@FunctionalInterface
public interface DriverFactory {
    HypervisorDriver create(AgentConfig config, Clock clock, RandomGenerator random);

    /** The drivers this module builds itself: {@code fake}. Other drivers are added by wrapping this factory. */
    static DriverFactory builtIn() {
        return (config, clock, random) -> {
            if (config.driverName().equals(FakeDriver.NAME)) {
                return new FakeDriver(config.fakeDriverSettings(), config.stateDir(), clock, random);
            }
            throw new IllegalArgumentException("unknown driver '" + config.driverName() + "'");
        };
    }
}
