package io.vireo.controller.port;

import io.vireo.model.AddressRange;
import io.vireo.model.Ipv4Address;
import java.util.ArrayList;
import java.util.List;

/** The order in which next-fit allocation searches a subnet's pools: from a cursor to their end, then from their start. */
public final class PoolSegments {
    private PoolSegments() {}

    /**
     * The parts of {@code pools} (in address order) at or after {@code cursor}, then those before it: searched in this
     * order, the first free address found is the next free one from the cursor, wrapping round.
     */
    public static List<AddressRange> from(List<AddressRange> pools, long cursor) {
        List<AddressRange> after = new ArrayList<>();
        List<AddressRange> before = new ArrayList<>();
        for (AddressRange pool : pools) {
            long first = pool.first().value();
            long last = pool.last().value();
            if (last >= cursor) {
                after.add(new AddressRange(new Ipv4Address(Math.max(first, cursor)), pool.last()));
            }
            if (first < cursor) {
                before.add(new AddressRange(pool.first(), new Ipv4Address(Math.min(last, cursor - 1))));
            }
        }
        after.addAll(before);
        return List.copyOf(after);
    }
}
