package io.vireo.scheduler.framework;

import static java.util.Objects.requireNonNull;

import io.vireo.scheduler.snapshot.ClusterSnapshot;
import java.util.UUID;

/** The outcome of placing one VM on a {@link ClusterSnapshot}. */
public sealed interface PlacementOutcome {
    /**
     * The VM goes to host number {@code host} ({@code hostId}). {@code expectedGeneration} is the host's resource
     * generation in the input snapshot, which the store's conditional claim expects; {@code snapshotAfter} is the input
     * with the claim applied, to place the next VM on once the store accepted it.
     */
    record Placed(int host, UUID hostId, long expectedGeneration, ClusterSnapshot snapshotAfter)
            implements PlacementOutcome {
        public Placed {
            requireNonNull(hostId, "hostId is null");
            requireNonNull(snapshotAfter, "snapshotAfter is null");
        }
    }

    /** No host can take the VM; the explanation says why, per plugin. */
    record Unschedulable(Explanation explanation) implements PlacementOutcome {
        public Unschedulable {
            requireNonNull(explanation, "explanation is null");
        }
    }
}
