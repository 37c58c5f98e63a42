package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One sample of a VM's resource use, measured by its host's agent while the VM's guest process exists (running or
 * paused). Counters are cumulative since that process started. A nullable value is one that could not be measured:
 * it means "not available", never zero. {@code synthetic} samples are made up by the fake driver from its model of the
 * VM; they are plausible and deterministic, not measurements.
 *
 * @param network what the guest received and sent through its network interface; null while that is not plugged into
 *     a bridge
 */
public record VmStats(
        UUID vmId,
        Instant sampledAt,
        Cpu cpu,
        Memory memory,
        Disk disk,
        @Nullable Network network,
        boolean synthetic) {
    public VmStats {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(sampledAt, "sampledAt is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(memory, "memory is null");
        requireNonNull(disk, "disk is null");
    }

    /** This sample with the CPU share the agent computed from the previous one. */
    public VmStats withCpuPercent(double percent) {
        return new VmStats(
                vmId, sampledAt, new Cpu(percent, cpu.timeMillis(), cpu.vcpus()), memory, disk, network, synthetic);
    }

    /**
     * @param percent vCPU busy time since the previous sample in percent of all the VM's vCPUs (0-100); null on the
     *     first sample of a guest process
     * @param timeMillis CPU time of the vCPU threads, user plus system
     */
    public record Cpu(@Nullable Double percent, long timeMillis, int vcpus) {
        public Cpu {
            if (percent != null && !(percent >= 0 && percent <= 100)) {
                throw new IllegalArgumentException("cpu percent must be 0-100, not " + percent);
            }
            if (timeMillis < 0 || vcpus < 0) {
                throw new IllegalArgumentException("cpu time and vcpus must not be negative");
            }
        }
    }

    /**
     * @param residentBytes resident memory of the hypervisor process (what the VM costs the host)
     * @param guestBytes memory the guest has (the balloon's size)
     * @param guestTotalBytes and {@code guestAvailableBytes}: the guest's own view, from the balloon driver's
     *     statistics; null when the guest does not report them
     */
    public record Memory(
            long residentBytes,
            long guestBytes,
            @Nullable Long guestTotalBytes,
            @Nullable Long guestAvailableBytes) {
        public Memory {
            if (residentBytes < 0 || guestBytes < 0) {
                throw new IllegalArgumentException("memory sizes must not be negative");
            }
        }
    }

    /** Cumulative I/O of all the VM's disks. */
    public record Disk(long readBytes, long writtenBytes, long readOperations, long writeOperations) {
        public static final Disk NONE = new Disk(0, 0, 0, 0);

        public Disk {
            if (readBytes < 0 || writtenBytes < 0 || readOperations < 0 || writeOperations < 0) {
                throw new IllegalArgumentException("disk counters must not be negative");
            }
        }
    }

    /** Cumulative traffic of all the VM's network interfaces. */
    public record Network(long receivedBytes, long transmittedBytes) {
        public Network {
            if (receivedBytes < 0 || transmittedBytes < 0) {
                throw new IllegalArgumentException("network counters must not be negative");
            }
        }
    }
}
