package io.vireo.scheduler;

import io.vireo.model.Host;
import java.util.List;
import java.util.UUID;

/**
 * Placements of several VMs against one view of the hosts, opened by {@link Scheduler#batch}. The scheduler only
 * proposes: after the store accepted a claim on the proposed host, or after the caller re-read a host that had changed
 * under it, the caller passes the store's record of that host to {@link #update}, so that the next placement sees it.
 *
 * <p>Threading: one thread at a time; open a batch per thread.
 */
public interface PlacementBatch {
    /** A host for {@code request} on the current view; {@link PlacementResult.Placed#host()} is the view's record. */
    PlacementResult place(PlacementRequest request);

    /**
     * Hosts for every VM of {@code vmIds} (each asking what {@code template} asks), or for none: all or nothing. The
     * members' choices see each other (capacity, and the template's server group among the gang), but the view itself
     * is not changed: after the store accepted the gang's claims, pass it each claimed host through {@link #update}.
     */
    GangPlacementResult placeGang(PlacementRequest template, List<UUID> vmIds);

    /** The store now has {@code host} as given (after this caller's claim on it, or re-read after a lost race). */
    void update(Host host);
}
