package io.vireo.controller.port;

import io.vireo.model.DesiredVm;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

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

    /**
     * Asks the host's agent for at most {@code maxBytes} of VM {@code vmId}'s serial console log from {@code offset}
     * (negative: the last {@code |offset|} bytes). The future fails with a {@link io.vireo.common.VireoException}:
     * {@code UNAVAILABLE} if the agent is not connected, too busy or its session ends first, {@code CONFLICT} if the
     * agent cannot read the log. It does not time out by itself; the caller bounds the wait.
     */
    CompletableFuture<ConsoleLog> readConsole(UUID hostId, UUID vmId, long offset, int maxBytes);
}
