package io.vireo.agent.reconcile;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A VM that left this host by live migration, persisted in {@code <stateDir>/departed/<uuid>.json}: the server moved
 * it on with a higher epoch, so a desired entry of epoch {@code epoch} or lower that still arrives here (sent before
 * the move, delivered after it, perhaps on a later session) is stale and must never start the VM here again.
 *
 * @param epoch the VM's placement epoch on this host when it left
 * @param at when it left, on the agent's clock; the record is dropped after {@link VmReconciler#DEPARTURE_RETENTION}
 */
record VmDeparture(UUID vmId, long epoch, Instant at) {
    VmDeparture {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(at, "at is null");
    }
}
