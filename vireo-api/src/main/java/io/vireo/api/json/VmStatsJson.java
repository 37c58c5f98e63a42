package io.vireo.api.json;

import io.vireo.model.VmStats;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

@Doc("The latest resource-use sample of a VM, as its host's agent took it. Counters are cumulative since the VM's guest"
        + " process started; null means not available, never zero.")
public record VmStatsJson(
        UUID vmId,
        @Doc("When the agent took the sample.") Instant sampledAt,

        @Doc("True when the values are made up by the fake driver from its model of the VM, not measured.")
        boolean synthetic,

        VmCpuJson cpu,
        VmMemoryJson memory,
        VmDiskJson disk,

        @Doc("What the guest received and sent through its network interface, from its tap's counters; null while the"
                + " interface is not plugged into a bridge (an agent without a VM bridge, or the fake driver).")
        @Nullable
        VmNetworkJson network) {
    public static VmStatsJson of(VmStats stats) {
        VmStats.Network network = stats.network();
        return new VmStatsJson(
                stats.vmId(),
                stats.sampledAt(),
                stats.synthetic(),
                new VmCpuJson(
                        stats.cpu().percent(),
                        stats.cpu().timeMillis(),
                        stats.cpu().vcpus()),
                new VmMemoryJson(
                        stats.memory().residentBytes(),
                        stats.memory().guestBytes(),
                        stats.memory().guestTotalBytes(),
                        stats.memory().guestAvailableBytes()),
                new VmDiskJson(
                        stats.disk().readBytes(),
                        stats.disk().writtenBytes(),
                        stats.disk().readOperations(),
                        stats.disk().writeOperations()),
                network == null ? null : new VmNetworkJson(network.receivedBytes(), network.transmittedBytes()));
    }

    @Doc("CPU use of the VM's vCPU threads.")
    public record VmCpuJson(
            @Doc("Busy share since the agent's previous sample, in percent of all the VM's vCPUs (0-100); null on the"
                    + " first sample of a guest process.")
            @Nullable
            Double percent,

            @Doc("CPU time of the vCPU threads, user plus system, in milliseconds.")
            long timeMillis,

            int vcpus) {}

    @Doc("Memory, as the host sees it and as the guest does.")
    public record VmMemoryJson(
            @Doc("Resident memory of the VM's hypervisor process: what it costs the host.")
            long residentBytes,

            @Doc("Memory the guest has (the balloon's size).")
            long guestBytes,

            @Doc("The guest's total memory by its own balloon statistics; null when the guest does not report them.")
            @Nullable
            Long guestTotalBytes,

            @Doc("The guest's available memory by its own balloon statistics; null when not reported.") @Nullable
            Long guestAvailableBytes) {}

    @Doc("Cumulative I/O of all the VM's disks.")
    public record VmDiskJson(long readBytes, long writtenBytes, long readOperations, long writeOperations) {}

    @Doc("Cumulative traffic of all the VM's network interfaces.")
    public record VmNetworkJson(long receivedBytes, long transmittedBytes) {}
}
