package io.vireo.sim.packing;

import io.vireo.sim.workload.Shape;
import java.util.List;

/** The fewest hosts any placement could use: the maximum over classes of ceil(total demand / host capacity). */
public final class LowerBound {
    private LowerBound() {}

    public static long hosts(List<Shape> vms, Shape host) {
        long bound = 0;
        for (int index = 0; index < Shape.CLASS_COUNT; index++) {
            long demand = 0;
            for (Shape vm : vms) {
                demand = Math.addExact(demand, vm.amount(index));
            }
            long capacity = host.amount(index);
            bound = Math.max(bound, (demand + capacity - 1) / capacity);
        }
        return bound;
    }
}
