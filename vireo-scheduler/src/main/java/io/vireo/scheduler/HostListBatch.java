package io.vireo.scheduler;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Host;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The default {@link PlacementBatch}: a list of host records kept current by {@link #update}, passed whole to
 * {@link Scheduler#place} for every placement. */
final class HostListBatch implements PlacementBatch {
    private final Scheduler scheduler;
    private final Map<UUID, Host> hosts = new LinkedHashMap<>();

    HostListBatch(Scheduler scheduler, List<Host> hosts) {
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        hosts.forEach(this::update);
    }

    @Override
    public PlacementResult place(PlacementRequest request) {
        return scheduler.place(List.copyOf(hosts.values()), request);
    }

    @Override
    public void update(Host host) {
        hosts.put(host.id(), host);
    }
}
