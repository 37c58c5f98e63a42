package io.vireo.agent.fake;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where fake drivers of one process meet for a live migration, as QEMUs meet over TCP: a destination listens on a port
 * for one VM ({@link #listen}), a source connects to that port ({@link #connect}). Ports are numbered in order from
 * {@link #FIRST_PORT} (so a seeded run is reproducible) and never bound on a real interface: a fake VM can migrate only
 * between drivers that share a fabric — the local agents of one {@code vireo up}, the hosts of one simulation or one
 * benchmark load process. A source whose destination is in another process finds nobody listening and fails, as a
 * real migration to a closed port does. Thread-safe.
 */
public final class FakeMigrationFabric {
    /** The address every fake destination reports. */
    public static final String HOST = "127.0.0.1";

    static final int FIRST_PORT = 49152;
    private static final int LAST_PORT = 65535;

    /** A destination waiting for one VM. */
    record Listener(FakeDriver destination, UUID vmId) {
        Listener {
            requireNonNull(destination, "destination is null");
            requireNonNull(vmId, "vmId is null");
        }
    }

    private final Map<Integer, Listener> listeners = new HashMap<>();
    private int nextPort = FIRST_PORT;

    /** Opens a port on which {@code destination} waits for VM {@code vmId}; returns the port. */
    synchronized int listen(FakeDriver destination, UUID vmId) {
        Listener listener = new Listener(destination, vmId);
        for (int tried = 0; tried <= LAST_PORT - FIRST_PORT; tried++) {
            int port = nextPort;
            nextPort = port == LAST_PORT ? FIRST_PORT : port + 1;
            if (!listeners.containsKey(port)) {
                listeners.put(port, listener);
                return port;
            }
        }
        throw new IllegalStateException("every fake migration port is in use");
    }

    /** Closes the port, if it is still open for {@code destination}. */
    synchronized void close(int port, FakeDriver destination) {
        Listener listener = listeners.get(port);
        if (listener != null && listener.destination() == destination) {
            listeners.remove(port);
        }
    }

    /** Who listens on {@code host:port}, taking the listener off the port; null if nobody does. */
    synchronized @Nullable Listener connect(String host, int port) {
        requireNonNull(host, "host is null");
        return HOST.equals(host) ? listeners.remove(port) : null;
    }

    /** How many destinations wait now. */
    synchronized int listening() {
        return listeners.size();
    }
}
