package io.vireo.scheduler.plugins.excludedhosts;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.FilterPlugin;
import io.vireo.scheduler.framework.PreFilterPlugin;
import io.vireo.scheduler.framework.StateKey;
import io.vireo.scheduler.framework.Status;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import java.util.UUID;

/**
 * Rejects the hosts a request excludes, such as the host a migrating VM is leaving. PreFilter turns the excluded ids
 * into a bitset over host numbers; hosts the snapshot does not have are ignored; SKIP when none is left.
 */
public final class ExcludedHostsFilter implements PreFilterPlugin, FilterPlugin {
    public static final String NAME = "ExcludedHosts";

    private static final Status EXCLUDED = Status.unschedulable(NAME, "excluded by the request");
    private static final StateKey<Excluded> KEY = StateKey.of(NAME, Excluded.class);

    /** One bit per host number, set for excluded hosts. */
    private static final class Excluded {
        final long[] words;

        Excluded(int hostCount) {
            this.words = new long[(hostCount + 63) >>> 6];
        }

        boolean has(int host) {
            return (words[host >>> 6] & (1L << host)) != 0;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state) {
        if (state.request().excludedHosts().isEmpty()) {
            return Status.SKIP;
        }
        ClusterSnapshot snapshot = state.snapshot();
        Excluded excluded = new Excluded(snapshot.hostCount());
        boolean any = false;
        for (UUID id : state.request().excludedHosts()) {
            int host = snapshot.indexOf(id);
            if (host >= 0) {
                excluded.words[host >>> 6] |= 1L << host;
                any = true;
            }
        }
        if (!any) {
            return Status.SKIP;
        }
        state.write(KEY, excluded);
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, int host) {
        return state.read(KEY).has(host) ? EXCLUDED : Status.SUCCESS;
    }

    @Override
    public int retainFeasible(CycleState state, int[] hosts, int count) {
        long[] words = state.read(KEY).words;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int host = hosts[i];
            hosts[kept] = host;
            kept += (int) (~(words[host >>> 6] >>> host) & 1L);
        }
        return kept;
    }
}
