package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import io.vireo.model.VmStats;
import io.vireo.model.VmStats.Network;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One sample of a running VM's resource use, from its QEMU process ({@code /proc}) and QMP. Counters are cumulative
 * since the process started; a rate is the difference of two samples over the difference of their {@code sampledAt}.
 *
 * @param processCpuTime CPU time of the whole QEMU process (vCPUs, device emulation, I/O threads), user plus system
 * @param vcpuCpuTimes CPU time of each vCPU thread, by vCPU index
 * @param residentBytes the QEMU process's resident memory
 * @param balloonBytes the guest memory the balloon leaves to the guest
 * @param disks one entry per block device
 * @param guestTotalBytes and {@code guestAvailableBytes}: the guest's own view of its memory from the balloon driver's
 *     statistics ({@code stat-total-memory}, {@code stat-available-memory}); null until the guest has reported them
 * @param network what the guest received and sent through its NIC (its tap's counters turned around); null if the NIC
 *     is not plugged into a bridge
 */
public record VmMetrics(
        UUID vmId,
        Instant sampledAt,
        Duration processCpuTime,
        List<Duration> vcpuCpuTimes,
        long residentBytes,
        long balloonBytes,
        List<Disk> disks,
        @Nullable Long guestTotalBytes,
        @Nullable Long guestAvailableBytes,
        @Nullable Network network) {
    public VmMetrics {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(sampledAt, "sampledAt is null");
        requireNonNull(processCpuTime, "processCpuTime is null");
        vcpuCpuTimes = List.copyOf(vcpuCpuTimes);
        disks = List.copyOf(disks);
        if (residentBytes < 0 || balloonBytes < 0) {
            throw new IllegalArgumentException("byte counts must not be negative");
        }
    }

    /**
     * As the driver SPI reports it: CPU time is the vCPU threads' (the guest's own work, as the issue of CPU % asks),
     * disk counters are summed over the devices, network counters are the NIC's (none if it is not plugged).
     */
    public VmStats toStats() {
        Duration vcpuTime = vcpuCpuTimes.stream().reduce(Duration.ZERO, Duration::plus);
        long readBytes = 0;
        long writtenBytes = 0;
        long readOperations = 0;
        long writeOperations = 0;
        for (Disk disk : disks) {
            readBytes += disk.readBytes();
            writtenBytes += disk.writtenBytes();
            readOperations += disk.readOperations();
            writeOperations += disk.writeOperations();
        }
        return new VmStats(
                vmId,
                sampledAt,
                new VmStats.Cpu(null, vcpuTime.toMillis(), vcpuCpuTimes.size()),
                new VmStats.Memory(residentBytes, balloonBytes, guestTotalBytes, guestAvailableBytes),
                new VmStats.Disk(readBytes, writtenBytes, readOperations, writeOperations),
                network,
                false);
    }

    /** Cumulative I/O of one block device, from QMP {@code query-blockstats}. */
    public record Disk(String device, long readBytes, long writtenBytes, long readOperations, long writeOperations) {
        public Disk {
            requireNonNull(device, "device is null");
            if (readBytes < 0 || writtenBytes < 0 || readOperations < 0 || writeOperations < 0) {
                throw new IllegalArgumentException("disk counters must not be negative");
            }
        }
    }
}
