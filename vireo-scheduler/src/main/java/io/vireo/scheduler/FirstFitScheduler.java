package io.vireo.scheduler;

import io.vireo.model.Host;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The simplest placement: the first schedulable host, in the given order, with room for the request. */
public final class FirstFitScheduler implements Scheduler {
    public static final String HOST_STATE = "HostState";
    public static final String EXCLUDED = "Excluded";
    public static final String REQUIRED_HOST = "RequiredHost";
    public static final String RESOURCE_FIT = "ResourceFit";

    @Override
    public PlacementResult place(List<Host> hosts, PlacementRequest request) {
        Map<String, Integer> rejections = new LinkedHashMap<>();
        for (Host host : hosts) {
            String rejectedBy = rejection(host, request);
            if (rejectedBy == null) {
                return new PlacementResult.Placed(host);
            }
            rejections.merge(rejectedBy, 1, Integer::sum);
        }
        return new PlacementResult.NoValidHost(explain(hosts.size(), rejections), rejections);
    }

    private static @org.jspecify.annotations.Nullable String rejection(Host host, PlacementRequest request) {
        if (!host.state().schedulable()) {
            return HOST_STATE;
        }
        if (request.excludedHosts().contains(host.id())) {
            return EXCLUDED;
        }
        RequiredHost required = request.requiredHost();
        if (required != null && !required.hostId().equals(host.id())) {
            return REQUIRED_HOST;
        }
        if (!request.resources().fitsWithin(host.free())) {
            return RESOURCE_FIT;
        }
        return null;
    }

    static String explain(int hostCount, Map<String, Integer> rejections) {
        StringBuilder text =
                new StringBuilder("no valid host among ").append(hostCount).append(" hosts");
        rejections.forEach((filter, count) ->
                text.append("; ").append(filter).append(" rejected ").append(count));
        return text.toString();
    }
}
