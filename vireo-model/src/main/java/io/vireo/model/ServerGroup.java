package io.vireo.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A named set of VMs of one project whose placement follows {@code policy}. VMs join a group when they are created
 * and leave it when they are deleted.
 *
 * <p>Invariants: {@code 1 <= maxPerHost <= MAX_PER_HOST}; {@code maxPerHost} is 1 unless the policy is an
 * anti-affinity one.
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
}
