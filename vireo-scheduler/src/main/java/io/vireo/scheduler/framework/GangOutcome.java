package io.vireo.scheduler.framework;

import static java.util.Objects.requireNonNull;

import io.vireo.scheduler.snapshot.ClusterSnapshot;
import java.util.List;
import java.util.UUID;

/** The outcome of an all-or-nothing placement of a {@link GangRequest}. */
public sealed interface GangOutcome {
    /** Every VM placed: one assignment per VM, in request order; {@code snapshotAfter} holds every claim. */
    record Placed(List<Assignment> assignments, ClusterSnapshot snapshotAfter) implements GangOutcome {
        public Placed {
            assignments = List.copyOf(assignments);
            requireNonNull(snapshotAfter, "snapshotAfter is null");
        }
    }

    /** No VM placed: member {@code failedMember} found no host, or its reservation failed, after all before it fit. */
    record Unschedulable(int failedMember, Explanation explanation) implements GangOutcome {
        public Unschedulable {
            requireNonNull(explanation, "explanation is null");
        }
    }

    /**
     * VM {@code vmId} goes to host number {@code host}; {@code expectedGeneration} is that host's resource generation
     * in the input snapshot (a host holding several members is claimed once per member, each claim raising it by one).
     */
    record Assignment(UUID vmId, int host, UUID hostId, long expectedGeneration) {
        public Assignment {
            requireNonNull(vmId, "vmId is null");
            requireNonNull(hostId, "hostId is null");
        }
    }
}
