package io.vireo.agent.usage;

import io.vireo.model.HostUsage;

/** Measures the host's use, once per heartbeat. Implementations are called from one thread at a time. */
@FunctionalInterface
public interface HostUsageSource {
    HostUsage sample();
}
