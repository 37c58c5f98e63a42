package io.vireo.sim.simulation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where each VM has a live instance (booting, running or paused) across every simulated host, kept up to date
 * incrementally: a host's driver reports each VM it touches ({@link #update}), a host that loses power drops all of
 * its instances ({@link #clearHost}). Invariant I1 reads it after every event, at the cost of the VMs touched.
 */
final class LiveInstances {
    private final Map<UUID, Set<String>> hostsByVm = new LinkedHashMap<>();
    private final Set<UUID> touched = new LinkedHashSet<>();

    private final Map<Integer, String> migrationListeners = new LinkedHashMap<>();

    /** VM {@code vmId} has a guest on {@code host} ({@code live}) or not. */
    void update(String host, UUID vmId, boolean live) {
        set(host, vmId, live);
    }

    /** A destination on {@code host} waits for a migration on fabric port {@code port}. */
    void listening(int port, String host) {
        migrationListeners.put(port, host);
    }

    /** The host that listened on fabric port {@code port} (taking it off the port), or null. */
    @Nullable
    String listener(int port) {
        return migrationListeners.remove(port);
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
