package io.vireo.scheduler;

import io.vireo.model.Host;
import java.util.List;

/** Chooses a host for a request from a snapshot of hosts. Implementations are pure and thread-safe. */
public interface Scheduler {
    PlacementResult place(List<Host> hosts, PlacementRequest request);
}
