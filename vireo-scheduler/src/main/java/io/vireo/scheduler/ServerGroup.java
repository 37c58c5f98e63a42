package io.vireo.scheduler;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import java.util.List;
import java.util.UUID;

/**
 * The server group a VM to place belongs to, as the controller read it: its policy, the most members one host may hold
 * under anti-affinity, and the host of each current member ({@code memberHosts} holds a host once per member on it).
 *
 * <p>Invariants: {@code 1 <= maxPerHost <= MAX_PER_HOST}; at most {@link #MAX_MEMBERS} members; {@link #NONE} has no
 * members.
 */
public record ServerGroup(ServerGroupPolicy policy, int maxPerHost, List<UUID> memberHosts) {
    public static final int MAX_PER_HOST = 1_000;
    public static final int MAX_MEMBERS = 10_000;
    public static final ServerGroup NONE = new ServerGroup(ServerGroupPolicy.NONE, 1, List.of());

    public ServerGroup {
        requireNonNull(policy, "policy is null");
        if (maxPerHost < 1 || maxPerHost > MAX_PER_HOST) {
            throw VireoException.invalid("maxPerHost", "must be in 1.." + MAX_PER_HOST + ", got " + maxPerHost);
        }
        memberHosts = List.copyOf(memberHosts);
        if (memberHosts.size() > MAX_MEMBERS) {
            throw VireoException.invalid("memberHosts", "at most " + MAX_MEMBERS + " members");
        }
        if (policy == ServerGroupPolicy.NONE && !memberHosts.isEmpty()) {
            throw VireoException.invalid("memberHosts", "a VM in no group has no group members");
        }
    }

    public static ServerGroup of(ServerGroupPolicy policy, List<UUID> memberHosts) {
        return new ServerGroup(policy, 1, memberHosts);
    }
}
