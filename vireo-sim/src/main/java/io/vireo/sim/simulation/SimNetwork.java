package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.MigrationEndpoint;
import io.vireo.agent.migration.MigrationCommand;
import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.AgentGateway;
import io.vireo.controller.port.ConsoleLog;
import io.vireo.controller.port.MigrationGateway;
import io.vireo.model.DesiredVm;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The simulated agent streams: the server side of them is the controller's {@link AgentGateway} port, as the gRPC
 * service is in production. One stream per host and session; a message on it arrives after a small random latency,
 * in order (a gRPC stream never reorders), or not at all if the direction is cut or the stream broke meanwhile.
 * Messages of different hosts interleave freely. A duplicated message is delivered twice in a row.
 */
final class SimNetwork implements AgentGateway, MigrationGateway {
    private static final Duration BASE_LATENCY = Duration.ofMillis(1);
    private static final long JITTER_MICROS = 4_000;
    private static final Duration SLOW_LATENCY = Duration.ofSeconds(2);

    private final EventLoop loop;
    private final RandomGenerator random;
    private final Faults faults;
    private final Map<UUID, SimHost> byId = new LinkedHashMap<>();

    SimNetwork(EventLoop loop, RandomGenerator random, Faults faults) {
        this.loop = requireNonNull(loop, "loop is null");
        this.random = requireNonNull(random, "random is null");
        this.faults = requireNonNull(faults, "faults is null");
    }

    void registered(UUID hostId, SimHost host) {
        byId.put(hostId, host);
    }

    @Override
    public void sendDesiredSet(UUID hostId, List<DesiredVm> vms) {
        SimHost host = byId.get(hostId);
        if (host != null && host.serverSideOpen()) {
            List<DesiredVm> copy = List.copyOf(vms);
            toHost(host, "desired set (" + copy.size() + ")", true, session -> host.onDesiredSet(session, copy));
        }
    }

    @Override
    public void sendDesiredDelta(UUID hostId, List<DesiredVm> upserts, List<UUID> removals) {
        SimHost host = byId.get(hostId);
        if (host != null && host.serverSideOpen()) {
            List<DesiredVm> up = List.copyOf(upserts);
            List<UUID> down = List.copyOf(removals);
            toHost(host, "desired delta", true, session -> host.onDesiredDelta(session, up, down));
        }
    }

    @Override
    public boolean connected(UUID hostId) {
        SimHost host = byId.get(hostId);
        return host != null && host.serverSideOpen();
    }

    @Override
    public CompletableFuture<ConsoleLog> readConsole(UUID hostId, UUID vmId, long offset, int maxBytes) {
        return CompletableFuture.failedFuture(
                new VireoException(ErrorCode.UNAVAILABLE, "the simulator has no console logs"));
    }

    @Override
    public void sendPrepare(UUID hostId, UUID migrationId, DesiredVm vm, UUID sourceHostId, String correlationId) {
        toMigrationHost(
                hostId,
                "migration prepare",
                new MigrationCommand.Prepare(migrationId, vm, sourceHostId, correlationId));
    }

    @Override
    public void sendStart(
            UUID hostId,
            UUID migrationId,
            UUID vmId,
            long sourceEpoch,
            Target target,
            UUID destinationHostId,
            String correlationId) {
        MigrationEndpoint endpoint = new MigrationEndpoint(target.host(), target.migrationPort(), target.diskPort());
        toMigrationHost(
                hostId,
                "migration start",
                new MigrationCommand.Start(migrationId, vmId, sourceEpoch, endpoint, destinationHostId, correlationId));
    }

    @Override
    public void sendAbort(UUID hostId, UUID migrationId, UUID vmId, String reason, String correlationId) {
        toMigrationHost(
                hostId, "migration abort", new MigrationCommand.Abort(migrationId, vmId, reason, correlationId));
    }

    private void toMigrationHost(UUID hostId, String what, MigrationCommand command) {
        SimHost host = byId.get(hostId);
        if (host != null && host.serverSideOpen()) {
            toHost(host, what, true, session -> host.onMigrationCommand(session, command));
        }
    }

    /** A message of one session's stream. */
    @FunctionalInterface
    interface Delivery {
        void deliver(int session);
    }

    /** Server to host, on the host's current session; lost if that direction is cut or the session ends first. */
    void toHost(SimHost host, String what, boolean mayDuplicate, Delivery delivery) {
        int session = host.session();
        if (host.cutToHost()) {
            return;
        }
        Instant at = host.nextToHost(arrival(host));
        String label = "server -> " + host.name() + ": " + what;
        loop.at(at, label, () -> delivery.deliver(session));
        if (mayDuplicate && faults.fires(FaultKind.MESSAGE_DUPLICATE)) {
            loop.at(at, label + " (again)", () -> delivery.deliver(session));
        }
    }

    /** Host to server, on the host's current session; lost if that direction is cut or the session ends first. */
    void toServer(SimHost host, String what, boolean mayDuplicate, Delivery delivery) {
        int session = host.session();
        if (host.cutToServer()) {
            return;
        }
        Instant at = host.nextToServer(arrival(host));
        String label = host.name() + " -> server: " + what;
        loop.at(at, label, () -> delivery.deliver(session));
        if (mayDuplicate && faults.fires(FaultKind.MESSAGE_DUPLICATE)) {
            loop.at(at, label + " (again)", () -> delivery.deliver(session));
        }
    }

    private Instant arrival(SimHost host) {
        Duration latency = BASE_LATENCY.plusNanos(random.nextLong(JITTER_MICROS) * 1000);
        if (host.messagesDelayed()) {
            latency = latency.plus(SLOW_LATENCY.multipliedBy(random.nextLong(1, 4)));
        }
        return loop.now().plus(latency);
    }
}
