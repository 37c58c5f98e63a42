package io.vireo.api.json;

import io.vireo.model.HostUsage;

@Doc("What the host's agent measured of its own use at its last heartbeat.")
public record HostUsageJson(
        @Doc("CPU use of the whole host, 0-100 per core summed.")
        double cpuPercent,

        @Doc("Memory in use, MiB.") long memoryUsedMib,
        @Doc("Disk in use, GiB.") long diskUsedGib,
        @Doc("VMs running on the host.") int runningVms) {
    public static HostUsageJson of(HostUsage usage) {
        return new HostUsageJson(usage.cpuPercent(), usage.memoryUsedMib(), usage.diskUsedGib(), usage.runningVms());
    }
}
