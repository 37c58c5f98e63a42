package io.vireo.server;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.AgentGateway;
import io.vireo.controller.port.ConsoleLog;
import io.vireo.model.DesiredVm;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaks the wiring cycle between the controllers (which send to agents) and the gRPC service (which needs the
 * controllers to handle what agents send): the controllers get this relay, which forwards to the service once built.
 * A desired-state change for a host whose agent is not connected here goes to {@link #signalOthersWith the other
 * replicas} instead, so the one holding that agent's stream sends it at once rather than at its next resync.
 */
final class GatewayRelay implements AgentGateway {
    private static final Logger log = LoggerFactory.getLogger(GatewayRelay.class);

    private volatile @Nullable AgentGateway delegate;
    private volatile @Nullable Consumer<UUID> otherReplicas;

    void delegateTo(AgentGateway gateway) {
        this.delegate = requireNonNull(gateway, "gateway is null");
    }

    /** Where to signal a host whose agent is not connected to this replica (by default nowhere: one replica). */
    void signalOthersWith(Consumer<UUID> signal) {
        this.otherReplicas = requireNonNull(signal, "signal is null");
    }

    @Override
    public void sendDesiredSet(UUID hostId, List<DesiredVm> vms) {
        AgentGateway target = delegate;
        if (target != null) {
            target.sendDesiredSet(hostId, vms);
        }
    }

    @Override
    public void sendDesiredDelta(UUID hostId, List<DesiredVm> upserts, List<UUID> removals) {
        AgentGateway target = delegate;
        if (target != null && target.connected(hostId)) {
            target.sendDesiredDelta(hostId, upserts, removals);
            return;
        }
        Consumer<UUID> signal = otherReplicas;
        if (signal != null) {
            try {
                signal.accept(hostId);
            } catch (RuntimeException e) {
                // a hint only: the replica holding the agent sends the change at its next resync anyway
                log.warn("could not signal the other replicas about host {}", hostId, e);
            }
        }
    }

    @Override
    public boolean connected(UUID hostId) {
        AgentGateway target = delegate;
        return target != null && target.connected(hostId);
    }

    @Override
    public CompletableFuture<ConsoleLog> readConsole(UUID hostId, UUID vmId, long offset, int maxBytes) {
        AgentGateway target = delegate;
        if (target == null) {
            return CompletableFuture.failedFuture(
                    new VireoException(ErrorCode.UNAVAILABLE, "host " + hostId + " is not connected"));
        }
        return target.readConsole(hostId, vmId, offset, maxBytes);
    }
}
