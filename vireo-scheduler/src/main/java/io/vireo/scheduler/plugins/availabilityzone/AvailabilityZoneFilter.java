package io.vireo.scheduler.plugins.availabilityzone;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.FilterPlugin;
import io.vireo.scheduler.framework.PreFilterPlugin;
import io.vireo.scheduler.framework.StateKey;
import io.vireo.scheduler.framework.Status;
import io.vireo.scheduler.snapshot.Catalog;
import java.util.List;

/**
 * A request naming availability zones lands on a host in one of them; a host in no zone matches none. SKIP when the
 * request names no zone; UNSCHEDULABLE when no host is in any zone it names.
 */
public final class AvailabilityZoneFilter implements PreFilterPlugin, FilterPlugin {
    public static final String NAME = "AvailabilityZone";

    private static final StateKey<Zones> KEY = StateKey.of(NAME, Zones.class);

    /** {@code allowed[zone + 1]}: whether zone index {@code zone} (-1: no zone) is allowed. */
    private static final class Zones {
        final boolean[] allowed;
        final Status rejection;

        Zones(boolean[] allowed, Status rejection) {
            this.allowed = allowed;
            this.rejection = rejection;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state) {
        List<String> requested =
                state.request().availabilityZones().stream().sorted().toList();
        if (requested.isEmpty()) {
            return Status.SKIP;
        }
        Catalog zones = state.snapshot().zones();
        boolean[] allowed = new boolean[zones.size() + 1];
        boolean any = false;
        for (String zone : requested) {
            int index = zones.indexOf(zone);
            if (index >= 0) {
                allowed[index + 1] = true;
                any = true;
            }
        }
        String names = String.join(", ", requested);
        if (!any) {
            return Status.unschedulable(NAME, "no host in zone " + names);
        }
        state.write(KEY, new Zones(allowed, Status.unschedulable(NAME, "not in zone " + names)));
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, int host) {
        Zones zones = state.read(KEY);
        return zones.allowed[state.snapshot().zoneColumn().get(host) + 1] ? Status.SUCCESS : zones.rejection;
    }

    @Override
    public int retainFeasible(CycleState state, int[] hosts, int count) {
        return state.snapshot().zoneColumn().retainAllowed(state.read(KEY).allowed, hosts, count);
    }
}
