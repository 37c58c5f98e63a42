package io.vireo.controller.port;

import static java.util.Objects.requireNonNull;

import io.vireo.model.Host;
import io.vireo.model.HostState;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What deleting a host came to (ADR 26). A host is deleted only when nothing stands on it and nothing can start on it
 * meanwhile: no VM that is not DELETED is placed on it, no migration to or from it is in flight, no drain of it is
 * open, no volume holds its data there, and it is in a {@link #DELETABLE_STATES deletable state}. The store decides
 * this under the host's lock, the lock a claim on the host takes, in the transaction that marks it deleted.
 */
public sealed interface HostDeletion {
    /**
     * The states a host may be deleted in: taken out of placement by an operator (MAINTENANCE), or with a silent agent
     * (DOWN) or declared dead (FENCED). Never UP (in placement: a VM could be on its way) nor SUSPECT (the host monitor
     * is deciding whether to fence it).
     */
    Set<HostState> DELETABLE_STATES = EnumSet.of(HostState.MAINTENANCE, HostState.DOWN, HostState.FENCED);

    NotFound NOT_FOUND = new NotFound();

    /** The host was deleted; {@code host} as it was just before. */
    record Deleted(Host host) implements HostDeletion {
        public Deleted {
            requireNonNull(host, "host is null");
        }
    }

    /** There is no such host, or it was deleted already. */
    record NotFound() implements HostDeletion {}

    /**
     * Refused, nothing changed: what stands on the host, as found under its lock.
     *
     * @param vms how many VMs that are not DELETED are placed on it
     * @param vmNames the first of them by name, at most {@link #MAX_NAMES}
     * @param migrations how many migrations to or from it are in flight (PREPARING, MIGRATING)
     * @param draining whether a drain of it is open
     * @param volumes how many volumes hold their data on it
     * @param volumeNames the first of them by name, at most {@link #MAX_NAMES}
     */
    record Blocked(
            Host host,
            long vms,
            List<String> vmNames,
            long migrations,
            boolean draining,
            long volumes,
            List<String> volumeNames)
            implements HostDeletion {
        /** How many names of VMs or volumes a refusal carries. */
        public static final int MAX_NAMES = 5;

        public Blocked {
            requireNonNull(host, "host is null");
            vmNames = List.copyOf(vmNames);
            volumeNames = List.copyOf(volumeNames);
            if (vms < vmNames.size() || volumes < volumeNames.size() || migrations < 0) {
                throw new IllegalArgumentException("counts below the names given");
            }
            if (vmNames.size() > MAX_NAMES || volumeNames.size() > MAX_NAMES) {
                throw new IllegalArgumentException("at most " + MAX_NAMES + " names");
            }
            if (vms == 0 && migrations == 0 && !draining && volumes == 0 && DELETABLE_STATES.contains(host.state())) {
                throw new IllegalArgumentException("nothing blocks deleting host " + host.name());
            }
        }

        /** Whether the host's state alone forbids deleting it. */
        public boolean wrongState() {
            return !DELETABLE_STATES.contains(host.state());
        }
    }
}
