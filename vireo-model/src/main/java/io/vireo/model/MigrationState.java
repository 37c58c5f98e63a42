package io.vireo.model;

/**
 * Where a live migration stands. {@code PREPARING} and {@code MIGRATING} are in flight: the VM holds an allocation on
 * both hosts. {@code COMPLETED} and {@code FAILED} are terminal.
 */
public enum MigrationState {
    /** The destination is claimed and asked to prepare. */
    PREPARING,
    /** The destination listens; the source is sending. */
    MIGRATING,
    /** The VM runs on the destination, which now holds its only allocation. */
    COMPLETED,
    /** The VM stayed on the source; the destination's allocation is released. */
    FAILED;

    public boolean inFlight() {
        return this == PREPARING || this == MIGRATING;
    }
}
