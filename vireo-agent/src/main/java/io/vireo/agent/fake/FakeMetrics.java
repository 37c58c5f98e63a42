package io.vireo.agent.fake;

import io.vireo.model.VmStats;
import java.time.Duration;
import java.time.Instant;

/**
 * Synthetic metrics for fake VMs: a pure function of a VM's model and the time, deterministic and plausible, never
 * measured. Each VM has a fixed "load" between 5 and 45 % derived from its id. While it boots, its vCPUs are busy
 * (100 %); while it runs, they are busy at its load; while it is paused, 0 %. CPU time and disk counters grow with the
 * time since the guest started (also while it is paused: the model keeps no pause history); resident memory is a
 * quarter of the guest's memory plus its load; the guest reports 96 % of its memory and keeps 20 % plus its load in
 * use. Fake VMs have no network interface, so network counters are not available. Every sample is marked synthetic.
 */
final class FakeMetrics {
    private static final long BYTES_PER_MIB = 1024 * 1024;
    private static final long BOOT_READ_BYTES = 32 * BYTES_PER_MIB;
    private static final long READ_BYTES_PER_SECOND_PER_LOAD = 4096;
    private static final long WRITTEN_BYTES_PER_SECOND_PER_LOAD = 1024;
    private static final long BLOCK_BYTES = 4096;
    private static final int MIN_LOAD_PERCENT = 5;
    private static final int LOAD_PERCENT_SPREAD = 41;

    private FakeMetrics() {}

    /** The VM's fixed load, 5 to 45 %. */
    static int loadPercent(FakeVmState vm) {
        return MIN_LOAD_PERCENT + Math.floorMod(vm.vmId().hashCode(), LOAD_PERCENT_SPREAD);
    }

    /** A sample of a VM that has a guest (running or paused); {@code startedAt} must be set. */
    static VmStats sample(FakeVmState vm, Instant startedAt, Instant now) {
        int load = loadPercent(vm);
        long uptimeMillis = Math.max(0, Duration.between(startedAt, now).toMillis());
        long uptimeSeconds = uptimeMillis / 1000;
        double cpuPercent = switch (vm.power()) {
            case PAUSED, STOPPED, MIGRATED -> 0;
            case RUNNING -> booting(vm, now) ? 100 : load;
        };
        long guestBytes = vm.memoryMib() * BYTES_PER_MIB;
        long guestTotal = guestBytes / 100 * 96;
        long readBytes = BOOT_READ_BYTES + uptimeSeconds * READ_BYTES_PER_SECOND_PER_LOAD * load;
        long writtenBytes = uptimeSeconds * WRITTEN_BYTES_PER_SECOND_PER_LOAD * load;
        return new VmStats(
                vm.vmId(),
                now,
                new VmStats.Cpu(cpuPercent, uptimeMillis * vm.vcpus() * load / 100, vm.vcpus()),
                new VmStats.Memory(
                        guestBytes / 100 * (25 + load), guestBytes, guestTotal, guestTotal / 100 * (80 - load)),
                new VmStats.Disk(readBytes, writtenBytes, readBytes / BLOCK_BYTES, writtenBytes / BLOCK_BYTES),
                null,
                true);
    }

    private static boolean booting(FakeVmState vm, Instant now) {
        Instant bootCompletesAt = vm.bootCompletesAt();
        return bootCompletesAt != null && now.isBefore(bootCompletesAt);
    }
}
