package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A named set of VMs of one project whose placement follows {@code policy}. VMs join a group when they are created
 * and leave it when they are deleted.
 *
 * <p>Invariants: {@code 1 <= maxPerHost <= MAX_PER_HOST}; {@code maxPerHost} is 1 unless the policy is an
 * anti-affinity one.
 *
 * <p>{@link #hardRuleBrokenAt} is the one definition of the hard rule that every claim checks, in every store, inside
 * the claim's transaction.
 */
public record ServerGroup(
        UUID id, UUID projectId, String name, Instant createdAt, ServerGroupPolicy policy, int maxPerHost) {
    public static final int MAX_PER_HOST = 1_000;

    public ServerGroup {
        requireNonNull(id, "id is null");
        requireNonNull(projectId, "projectId is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(policy, "policy is null");
        if (maxPerHost < 1 || maxPerHost > MAX_PER_HOST) {
            throw new IllegalArgumentException("maxPerHost must be in 1.." + MAX_PER_HOST + ": " + maxPerHost);
        }
        if (maxPerHost != 1 && !policy.limitsMembersPerHost()) {
            throw new IllegalArgumentException("maxPerHost applies to anti-affinity policies only");
        }
    }

    /**
     * Where placing members of this group on {@code placements} would break its hard rule, given where its other live
     * members are: the first host of {@code placements} at which it breaks, or empty if it holds. A soft policy never
     * breaks here (it only steers the scheduler's scoring).
     *
     * <ul>
     *   <li>Anti-affinity: on each host placed on, the other members there plus the members placed there are at most
     *       {@code maxPerHost}.
     *   <li>Affinity: the other members' hosts and the placements are all one host (a member on its way to a host
     *       counts on both).
     * </ul>
     *
     * <p>Pure: the caller reads the members in the claim's transaction, under the group's lock, and passes them in.
     *
     * @param others one entry per other live member (not DELETED, not one being placed by this claim): every host it
     *     is on or on its way to — its host and the destination of its migration in flight; empty if it is unplaced
     * @param placements the host of each member this claim places (a create, each member of a gang, a migration's
     *     destination), repeated for members placed on one host
     */
    public Optional<UUID> hardRuleBrokenAt(Collection<? extends Collection<UUID>> others, List<UUID> placements) {
        requireNonNull(others, "others is null");
        requireNonNull(placements, "placements is null");
        return switch (policy) {
            case ANTI_AFFINITY -> crowdedHost(others, placements);
            case AFFINITY -> scattered(others, placements);
            case SOFT_AFFINITY, SOFT_ANTI_AFFINITY -> Optional.empty();
        };
    }

    private Optional<UUID> crowdedHost(Collection<? extends Collection<UUID>> others, List<UUID> placements) {
        Map<UUID, Integer> members = new HashMap<>();
        for (UUID host : placements) {
            members.merge(host, 1, Integer::sum);
        }
        for (Collection<UUID> member : others) {
            // A member counts once per host, even if it is on one and on its way to it (never both, in practice).
            for (UUID host : Set.copyOf(member)) {
                members.computeIfPresent(host, (h, count) -> count + 1);
            }
        }
        return placements.stream()
                .filter(host -> members.getOrDefault(host, 0) > maxPerHost)
                .findFirst();
    }

    private static Optional<UUID> scattered(Collection<? extends Collection<UUID>> others, List<UUID> placements) {
        Set<UUID> hosts = new HashSet<>(placements);
        others.forEach(hosts::addAll);
        return hosts.size() > 1 && !placements.isEmpty() ? Optional.of(placements.get(0)) : Optional.empty();
    }
}
