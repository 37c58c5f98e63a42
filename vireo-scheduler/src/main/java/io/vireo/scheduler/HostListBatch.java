package io.vireo.scheduler;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Host;
import io.vireo.model.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    /** Members one after another on a working copy of the hosts, each choice applied as a claim for the next. */
    @Override
    public GangPlacementResult placeGang(PlacementRequest template, List<UUID> vmIds) {
        Map<UUID, Host> working = new LinkedHashMap<>(hosts);
        List<Host> chosen = new ArrayList<>(vmIds.size());
        for (int member = 0; member < vmIds.size(); member++) {
            PlacementResult result =
                    scheduler.place(List.copyOf(working.values()), template.withVmId(vmIds.get(member)));
            switch (result) {
                case PlacementResult.NoValidHost none -> {
                    String prefix = vmIds.size() == 1
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "gang of %d VMs, none placed: member %d found ",
                                    vmIds.size(),
                                    member + 1);
                    return new GangPlacementResult.NoValidHost(prefix + none.explanation(), none.rejections());
                }
                case PlacementResult.Placed placed -> {
                    Host host = placed.host();
                    chosen.add(hosts.getOrDefault(host.id(), host));
                    working.put(host.id(), withClaim(host, template.resources()));
                }
            }
        }
        return new GangPlacementResult.Placed(chosen);
    }

    @Override
    public void update(Host host) {
        hosts.put(host.id(), host);
    }

    /** The host after a claim of {@code resources}: allocation grown, generation one up. */
    private static Host withClaim(Host host, Resources resources) {
        return host.withAllocation(host.allocated().plus(resources));
    }
}
