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
import org.jspecify.annotations.Nullable;

/**
 * Breaks the wiring cycle between the controllers (which send to agents) and the gRPC service (which needs the
 * controllers to handle what agents send): the controllers get this relay, which forwards to the service once built.
 */
final class GatewayRelay implements AgentGateway {
    private volatile @Nullable AgentGateway delegate;

    void delegateTo(AgentGateway gateway) {
        this.delegate = requireNonNull(gateway, "gateway is null");
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
        if (target != null) {
            target.sendDesiredDelta(hostId, upserts, removals);
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
