package io.vireo.scheduler.framework;

/**
 * Holds what a plugin tracks once a host is chosen for the current member of a gang (such as the server group's new
 * member), so that the next member's Filter and Score see it, and lets go of it if the gang fails. The resource claim
 * itself is the framework's: it is in {@link CycleState#snapshot()} before any Reserve plugin runs.
 *
 * <p>Both are idempotent per member: reserving the same member on the same host twice has the effect of once;
 * unreserving what is not reserved does nothing.
 */
public interface ReservePlugin extends Plugin {
    Status reserve(CycleState state, int host);

    void unreserve(CycleState state, int host);
}
