package io.vireo.model;

/** What a host's agent measured of its own use at its last heartbeat. */
public record HostUsage(double cpuPercent, long memoryUsedMib, long diskUsedGib, int runningVms) {
    public static final HostUsage NONE = new HostUsage(0, 0, 0, 0);
}
