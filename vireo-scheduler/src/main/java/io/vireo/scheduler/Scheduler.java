package io.vireo.scheduler;

import io.vireo.model.Host;
import java.util.List;

/** Chooses a host for a request from a snapshot of hosts. Implementations are thread-safe. */
public interface Scheduler {
    /** A host for {@code request} among {@code hosts}; a pure function of its arguments. */
    PlacementResult place(List<Host> hosts, PlacementRequest request);

    /**
     * Starts placing several VMs, one after another, on one view of {@code hosts} that the caller keeps current by
     * telling the batch about each host it knows changed ({@link PlacementBatch#update}). The default places through
     * {@link #place} on the updated list; an implementation may keep a converted view between calls instead.
     */
    default PlacementBatch batch(List<Host> hosts) {
        return new HostListBatch(this, hosts);
    }
}
