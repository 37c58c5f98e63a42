package io.vireo.controller.port;

import io.vireo.model.VmStats;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The latest resource-use sample of each VM, as its host's agent sent it with a heartbeat. One sample per VM, replaced
 * by the next: no history (that is what a metrics system scraping Vireo is for).
 */
public interface VmStatsRepository {
    /**
     * Keeps each sample as its VM's latest, if the VM is placed on {@code hostId}: a host cannot write samples for
     * VMs placed elsewhere (a late heartbeat after a move, or an agent reporting VMs that are not its own).
     */
    void record(UUID hostId, List<VmStats> samples, Instant receivedAt);

    /** The VM's latest sample, if any was recorded. */
    Optional<VmStats> find(UUID vmId);
}
