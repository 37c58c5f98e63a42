package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One sample of a running VM's resource use, from its QEMU process ({@code /proc}) and QMP. Counters are cumulative
 * since the process started; a rate is the difference of two samples over the difference of their {@code sampledAt}.
 *
 * @param processCpuTime CPU time of the whole QEMU process (vCPUs, device emulation, I/O threads), user plus system
 * @param vcpuCpuTimes CPU time of each vCPU thread, by vCPU index
 * @param residentBytes the QEMU process's resident memory
 * @param balloonBytes the guest memory the balloon leaves to the guest
 * @param disks one entry per block device
 */
public record VmMetrics(
        UUID vmId,
        Instant sampledAt,
        Duration processCpuTime,
        List<Duration> vcpuCpuTimes,
        long residentBytes,
        long balloonBytes,
        List<Disk> disks) {
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
