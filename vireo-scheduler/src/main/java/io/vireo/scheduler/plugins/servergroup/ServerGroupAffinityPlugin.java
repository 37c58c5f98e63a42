package io.vireo.scheduler.plugins.servergroup;

import io.vireo.scheduler.ServerGroup;
import io.vireo.scheduler.ServerGroupPolicy;
import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.FilterPlugin;
import io.vireo.scheduler.framework.Normalization;
import io.vireo.scheduler.framework.PreFilterPlugin;
import io.vireo.scheduler.framework.ReservePlugin;
import io.vireo.scheduler.framework.ScorePlugin;
import io.vireo.scheduler.framework.StateKey;
import io.vireo.scheduler.framework.Status;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import java.util.Arrays;
import java.util.UUID;

/**
 * Server-group placement rules. AFFINITY (hard): once the group has a member, only hosts holding one are feasible.
 * ANTI_AFFINITY (hard): hosts already holding {@code maxPerHost} members are not. SOFT_AFFINITY and SOFT_ANTI_AFFINITY
 * filter nothing and score hosts by how many members they hold, more or fewer being better.
 *
 * <p>PreFilter counts the members per host number (members on hosts the snapshot lacks count for "the group has a
 * member" but on no host). Reserve adds the member being placed to its host, so the next member of a gang sees it;
 * Unreserve takes it off. Both idempotent per member. SKIP everywhere for a VM in no group.
 */
public final class ServerGroupAffinityPlugin implements PreFilterPlugin, FilterPlugin, ScorePlugin, ReservePlugin {
    public static final String NAME = "ServerGroupAffinity";

    private static final StateKey<Members> KEY = StateKey.of(NAME, Members.class);
    private static final Status NOT_WITH_GROUP = Status.unschedulable(NAME, "holds no member of the affinity group");

    /** Members per host number, total members, and each gang member's reserved host (-1: none). */
    private static final class Members {
        final ServerGroupPolicy policy;
        final int maxPerHost;
        final int[] perHost;
        final int[] reservedHost;
        final Status full;
        int total;

        Members(ServerGroup group, int hostCount, int gangSize) {
            this.policy = group.policy();
            this.maxPerHost = group.maxPerHost();
            this.perHost = new int[hostCount];
            this.reservedHost = new int[gangSize];
            Arrays.fill(reservedHost, -1);
            this.full = Status.unschedulable(
                    NAME, "holds " + maxPerHost + " member" + (maxPerHost == 1 ? "" : "s") + " of the group already");
        }

        boolean accepts(int host) {
            return policy == ServerGroupPolicy.AFFINITY ? total == 0 || perHost[host] > 0 : perHost[host] < maxPerHost;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state) {
        ServerGroup group = state.request().serverGroup();
        if (group.policy() == ServerGroupPolicy.NONE) {
            return Status.SKIP;
        }
        ClusterSnapshot snapshot = state.snapshot();
        Members members = new Members(group, snapshot.hostCount(), state.gangSize());
        for (UUID hostId : group.memberHosts()) {
            int host = snapshot.indexOf(hostId);
            if (host >= 0) {
                members.perHost[host]++;
            }
            members.total++;
        }
        state.write(KEY, members);
        return group.policy().isHard() ? Status.SUCCESS : Status.SKIP;
    }

    @Override
    public Status filter(CycleState state, int host) {
        Members members = state.read(KEY);
        if (members.accepts(host)) {
            return Status.SUCCESS;
        }
        return members.policy == ServerGroupPolicy.AFFINITY ? NOT_WITH_GROUP : members.full;
    }

    @Override
    public int retainFeasible(CycleState state, int[] hosts, int count) {
        Members members = state.read(KEY);
        int[] perHost = members.perHost;
        boolean affinity = members.policy == ServerGroupPolicy.AFFINITY;
        if (affinity && members.total == 0) {
            return count;
        }
        int limit = affinity ? 1 : members.maxPerHost;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int host = hosts[i];
            hosts[kept] = host;
            kept += (perHost[host] >= limit) == affinity ? 1 : 0;
        }
        return kept;
    }

    @Override
    public Status preScore(CycleState state) {
        return state.request().serverGroup().policy().isSoft() ? Status.SUCCESS : Status.SKIP;
    }

    @Override
    public void score(CycleState state, int[] hosts, int count, double[] scores) {
        int[] perHost = state.read(KEY).perHost;
        for (int i = 0; i < count; i++) {
            scores[i] = perHost[hosts[i]];
        }
    }

    @Override
    public void normalize(CycleState state, double[] scores, int count) {
        boolean fewerIsBetter = state.read(KEY).policy == ServerGroupPolicy.SOFT_ANTI_AFFINITY;
        Normalization.scaleToMax(scores, count, fewerIsBetter);
    }

    @Override
    public Status reserve(CycleState state, int host) {
        Members members = state.find(KEY).orElse(null);
        if (members == null) {
            return Status.SUCCESS;
        }
        int previous = members.reservedHost[state.member()];
        if (previous == host) {
            return Status.SUCCESS;
        }
        if (previous >= 0) {
            unreserve(state, previous);
        }
        members.perHost[host]++;
        members.total++;
        members.reservedHost[state.member()] = host;
        return Status.SUCCESS;
    }

    @Override
    public void unreserve(CycleState state, int host) {
        Members members = state.find(KEY).orElse(null);
        if (members == null || members.reservedHost[state.member()] != host) {
            return;
        }
        members.perHost[host]--;
        members.total--;
        members.reservedHost[state.member()] = -1;
    }
}
