package io.vireo.api.json;

import java.util.List;
import java.util.UUID;

@Doc("The VMs one create with a count made, named <name>-1 to <name>-<count>: they share a gang id and are placed all"
        + " or none (every member goes to ERROR with the scheduler's explanation if the gang does not fit).")
public record VmGangJson(
        @Doc("The id the members share.") UUID gangId,

        @Doc("The members, in member order (web-1, web-2, ..., web-10).")
        List<VmJson> items) {
    public VmGangJson {
        items = List.copyOf(items);
    }
}
