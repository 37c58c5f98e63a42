package io.vireo.controller.port;

import io.vireo.model.DesiredVm;
import java.util.List;
import java.util.UUID;

/**
 * The controller's channel to host agents. Sends are fire-and-forget: a message to a host whose agent is not connected
 * is dropped, because the agent receives the full desired set when it connects. Implementations never block the
 * caller on the network.
 */
public interface AgentGateway {
    /** Replaces the host's whole desired set. */
    void sendDesiredSet(UUID hostId, List<DesiredVm> vms);

    /** Upserts some VMs and removes others from the host's desired set. */
    void sendDesiredDelta(UUID hostId, List<DesiredVm> upserts, List<UUID> removals);

    /** Whether the host's agent currently holds a session with this server. */
    boolean connected(UUID hostId);
}
