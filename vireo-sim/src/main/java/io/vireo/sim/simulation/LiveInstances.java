package io.vireo.sim.simulation;

import io.vireo.agent.hypervisor.DriverVm;
import io.vireo.model.ObservedPower;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Where each VM has a live instance (booting, running or paused) across every simulated host, kept up to date
 * incrementally: a host's driver reports each VM it touches ({@link #update}), a host that loses power drops all of
 * its instances ({@link #clearHost}). Invariant I1 reads it after every event, at the cost of the VMs touched.
 */
final class LiveInstances {
    private final Map<UUID, Set<String>> hostsByVm = new LinkedHashMap<>();
    private final Set<UUID> touched = new LinkedHashSet<>();

    static boolean live(ObservedPower power) {
        return power == ObservedPower.CREATING || power == ObservedPower.RUNNING || power == ObservedPower.PAUSED;
    }

    void update(String host, UUID vmId, DriverVm vm) {
        set(host, vmId, live(vm.power()));
    }

    void absent(String host, UUID vmId) {
        set(host, vmId, false);
    }

    void clearHost(String host) {
        for (Map.Entry<UUID, Set<String>> entry : hostsByVm.entrySet()) {
            if (entry.getValue().remove(host)) {
                touched.add(entry.getKey());
            }
        }
    }

    private void set(String host, UUID vmId, boolean live) {
        Set<String> hosts = hostsByVm.computeIfAbsent(vmId, id -> new LinkedHashSet<>());
        boolean changed = live ? hosts.add(host) : hosts.remove(host);
        if (changed) {
            touched.add(vmId);
        }
    }

    Set<String> hosts(UUID vmId) {
        return hostsByVm.getOrDefault(vmId, Set.of());
    }

    /** The VMs whose instances changed since the last call. */
    List<UUID> drainTouched() {
        List<UUID> drained = new ArrayList<>(touched);
        touched.clear();
        return drained;
    }
}
