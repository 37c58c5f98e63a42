package io.vireo.scheduler.plugins.resourcefit;

import io.vireo.scheduler.framework.CycleState;
import io.vireo.scheduler.framework.FilterPlugin;
import io.vireo.scheduler.framework.PreFilterPlugin;
import io.vireo.scheduler.framework.StateKey;
import io.vireo.scheduler.framework.Status;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.ResourceClass;
import io.vireo.scheduler.snapshot.ResourceDemand;
import java.util.List;

/**
 * A host must have room for every class the VM asks for: {@code free >= demand}, where free is
 * {@code floor((total - reserved) * allocationRatio) - used}, so overcommit is the ratio's and nothing else's.
 * UNSCHEDULABLE at PreFilter when the VM asks for a class no host offers; SKIP when it asks for nothing.
 *
 * <p>A rejected host is explained by the first short class in class order ({@code "MEMORY_MIB short"}).
 */
public final class ResourceFitFilter implements PreFilterPlugin, FilterPlugin {
    public static final String NAME = "ResourceFit";

    private static final StateKey<Shortages> KEY = StateKey.of(NAME, Shortages.class);

    /** One shared rejection status per class index; made on the first rejection a cycle explains, not per cycle. */
    private static final class Shortages {
        final Status[] byClass;

        Shortages(List<ResourceClass> classes) {
            this.byClass = new Status[classes.size()];
            for (int c = 0; c < byClass.length; c++) {
                byClass[c] = Status.unschedulable(NAME, classes.get(c) + " short");
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state) {
        ResourceDemand demand = state.demand();
        if (!demand.unknownClasses().isEmpty()) {
            return Status.unschedulable(
                    NAME, "no host offers " + demand.unknownClasses().get(0));
        }
        return demand.demandedCount() == 0 ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, int host) {
        ResourceDemand demand = state.demand();
        ClusterSnapshot snapshot = state.snapshot();
        for (int i = 0; i < demand.demandedCount(); i++) {
            int c = demand.demandedClass(i);
            if (snapshot.free(c, host) < demand.amount(c)) {
                return shortages(state).byClass[c];
            }
        }
        return Status.SUCCESS;
    }

    private static Shortages shortages(CycleState state) {
        Shortages shortages = state.find(KEY).orElse(null);
        if (shortages == null) {
            shortages = new Shortages(state.demand().classes());
            state.write(KEY, shortages);
        }
        return shortages;
    }

    /** One compaction pass over up to four demanded classes' free columns at once. */
    @Override
    public int retainFeasible(CycleState state, int[] hosts, int count) {
        return state.snapshot().retainFitting(state.demand(), hosts, count);
    }
}
