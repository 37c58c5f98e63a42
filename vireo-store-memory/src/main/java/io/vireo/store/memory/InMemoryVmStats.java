package io.vireo.store.memory;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.port.VmStatsRepository;
import io.vireo.model.Vm;
import io.vireo.model.VmStats;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The latest resource-use sample of each VM, kept only from the host the VM is placed on. Thread-safe: every call
 * holds the state's lock.
 */
final class InMemoryVmStats implements VmStatsRepository {
    private final MemoryState memory;

    InMemoryVmStats(MemoryState memory) {
        this.memory = requireNonNull(memory, "memory is null");
    }

    @Override
    public void record(UUID hostId, List<VmStats> samples, Instant receivedAt) {
        synchronized (memory.lock) {
            for (VmStats sample : samples) {
                Vm vm = memory.vms.get(sample.vmId());
                if (vm != null && hostId.equals(vm.hostId())) {
                    memory.vmStats.put(sample.vmId(), sample);
                }
            }
        }
    }

    @Override
    public Optional<VmStats> find(UUID vmId) {
        synchronized (memory.lock) {
            return Optional.ofNullable(memory.vmStats.get(vmId));
        }
    }
}
