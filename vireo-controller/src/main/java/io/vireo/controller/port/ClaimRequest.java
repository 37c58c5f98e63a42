package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One claim, applied by {@link ClaimRepository#claim} in one transaction: the hosts it claims, each conditional on the
 * resource generation the caller saw and on room for its demand; what happens to each VM; and whether it is all or
 * nothing or a batch whose outcome is per host.
 *
 * <p>Invariants: at least one transition; no VM twice; one {@link HostClaim} per host that a transition names and none
 * other; a host claim's demand is the sum of the resources of its transitions. {@link #of} and {@link #allOrNothing}
 * or {@link #perHost} build one from transitions and the generations seen, so callers never add demands themselves.
 *
 * <p>Quotas need no field here: what a claim charges a project follows from its transitions (a {@link
 * VmTransition.Place} of a new VM charges its project the VM's resources; a migration's hold charges nothing), so the
 * store will check a project's quota from the transitions, in the same transaction, when quotas exist.
 *
 * @param hosts the hosts claimed, each once, in the order their first transition was added
 * @param transitions what happens to each VM, in the order added
 * @param atomicity all or nothing, or each host on its own
 * @param now the time the claim writes ({@code updatedAt} of the VMs placed, the allocations' creation)
 */
public record ClaimRequest(List<HostClaim> hosts, List<VmTransition> transitions, Atomicity atomicity, Instant now) {
    /** How much of a request may be claimed when part of it cannot. */
    public enum Atomicity {
        /** Everything or nothing: a gang, a migration, a single VM. */
        ALL_OR_NOTHING,
        /**
         * Each host on its own: the transitions on one host are claimed together or not at all, and a host that is
         * refused (its generation moved, no room, a VM of it changed, a group's rule) does not stop the others.
         */
        PER_HOST
    }

    /**
     * One host of a claim: its resources are claimed only if its resource generation is still
     * {@code expectedGeneration} and {@code allocated + demand} fits its effective capacity; the claim then adds
     * {@code demand} to its allocation and its generation goes up by one.
     */
    public record HostClaim(UUID hostId, long expectedGeneration, Resources demand) {
        public HostClaim {
            requireNonNull(hostId, "hostId is null");
            requireNonNull(demand, "demand is null");
        }
    }

    public ClaimRequest {
        hosts = List.copyOf(hosts);
        transitions = List.copyOf(transitions);
        requireNonNull(atomicity, "atomicity is null");
        requireNonNull(now, "now is null");
        if (transitions.isEmpty()) {
            throw new IllegalArgumentException("a claim needs at least one transition");
        }
        Set<UUID> vms = new HashSet<>();
        Map<UUID, Resources> demand = new LinkedHashMap<>();
        for (VmTransition transition : transitions) {
            if (!vms.add(transition.vmId())) {
                throw new IllegalArgumentException("VM " + transition.vmId() + " appears twice in one claim");
            }
            demand.merge(transition.hostId(), transition.resources(), Resources::plus);
        }
        Set<UUID> claimed = new HashSet<>();
        for (HostClaim host : hosts) {
            if (!claimed.add(host.hostId())) {
                throw new IllegalArgumentException("host " + host.hostId() + " is claimed twice in one claim");
            }
            if (!host.demand().equals(demand.get(host.hostId()))) {
                throw new IllegalArgumentException("host " + host.hostId() + " demands " + host.demand()
                        + " but its transitions add up to " + demand.get(host.hostId()));
            }
        }
        if (!claimed.equals(demand.keySet())) {
            throw new IllegalArgumentException("every host of a transition needs one host claim");
        }
    }

    /** One transition, all or nothing: a create's VM, or a migration's destination. */
    public static ClaimRequest of(VmTransition transition, long expectedHostGeneration, Instant now) {
        return allOrNothing(now).add(transition, expectedHostGeneration).build();
    }

    /** A request whose transitions are claimed all or none (a gang). */
    public static Builder allOrNothing(Instant now) {
        return new Builder(Atomicity.ALL_OR_NOTHING, now);
    }

    /** A request whose hosts are claimed each on its own. */
    public static Builder perHost(Instant now) {
        return new Builder(Atomicity.PER_HOST, now);
    }

    /** The transitions on {@code hostId}, in request order. */
    public List<VmTransition> transitionsOn(UUID hostId) {
        return transitions.stream().filter(t -> t.hostId().equals(hostId)).toList();
    }

    /**
     * Collects transitions with the generation of each host the caller saw, and sums each host's demand. Not
     * thread-safe; one request per builder.
     */
    public static final class Builder {
        private final Atomicity atomicity;
        private final Instant now;
        private final List<VmTransition> transitions = new ArrayList<>();
        private final Map<UUID, Long> generations = new LinkedHashMap<>();

        private Builder(Atomicity atomicity, Instant now) {
            this.atomicity = requireNonNull(atomicity, "atomicity is null");
            this.now = requireNonNull(now, "now is null");
        }

        /**
         * Adds {@code transition}, claiming its host at {@code expectedHostGeneration}; every transition on one host
         * must expect the same generation (they come from one view of it).
         */
        public Builder add(VmTransition transition, long expectedHostGeneration) {
            requireNonNull(transition, "transition is null");
            Long seen = generations.putIfAbsent(transition.hostId(), expectedHostGeneration);
            if (seen != null && seen != expectedHostGeneration) {
                throw new IllegalArgumentException("host " + transition.hostId() + " expected at generations " + seen
                        + " and " + expectedHostGeneration + " in one claim");
            }
            transitions.add(transition);
            return this;
        }

        public ClaimRequest build() {
            Map<UUID, Resources> demand = new LinkedHashMap<>();
            transitions.forEach(t -> demand.merge(t.hostId(), t.resources(), Resources::plus));
            List<HostClaim> hosts = generations.entrySet().stream()
                    .map(host ->
                            new HostClaim(host.getKey(), host.getValue(), requireNonNull(demand.get(host.getKey()))))
                    .toList();
            return new ClaimRequest(hosts, transitions, atomicity, now);
        }
    }
}
