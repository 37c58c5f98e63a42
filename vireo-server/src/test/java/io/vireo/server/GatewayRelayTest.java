package io.vireo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vireo.controller.port.AgentGateway;
import io.vireo.controller.port.ConsoleLog;
import io.vireo.model.DesiredVm;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A change for a host whose agent is connected here goes to the agent; any other goes to the other replicas. */
class GatewayRelayTest {
    private static final UUID HERE = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID ELSEWHERE = UUID.fromString("00000000-0000-0000-0000-000000000002");

    /** Records the deltas it is given; only {@link #HERE} is connected. */
    private static final class RecordingAgents implements AgentGateway {
        final List<UUID> deltas = new ArrayList<>();

        @Override
        public void sendDesiredSet(UUID hostId, List<DesiredVm> vms) {}

        @Override
        public void sendDesiredDelta(UUID hostId, List<DesiredVm> upserts, List<UUID> removals) {
            deltas.add(hostId);
        }

        @Override
        public boolean connected(UUID hostId) {
            return Set.of(HERE).contains(hostId);
        }

        @Override
        public CompletableFuture<ConsoleLog> readConsole(UUID hostId, UUID vmId, long offset, int maxBytes) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
    }

    @Test
    void aHostConnectedHereGetsTheDeltaAndOthersAreSignalled() {
        GatewayRelay relay = new GatewayRelay();
        RecordingAgents agents = new RecordingAgents();
        List<UUID> signalled = new ArrayList<>();
        relay.delegateTo(agents);
        relay.signalOthersWith(signalled::add);

        relay.sendDesiredDelta(HERE, List.of(), List.of(UUID.randomUUID()));
        relay.sendDesiredDelta(ELSEWHERE, List.of(), List.of(UUID.randomUUID()));

        assertThat(agents.deltas).containsExactly(HERE);
        assertThat(signalled).containsExactly(ELSEWHERE);
    }

    @Test
    void aFailingSignalIsOnlyAHintAndDoesNotReachTheCaller() {
        GatewayRelay relay = new GatewayRelay();
        relay.delegateTo(new RecordingAgents());
        relay.signalOthersWith(host -> {
            throw new IllegalStateException("database down");
        });

        assertThatCode(() -> relay.sendDesiredDelta(ELSEWHERE, List.of(), List.of()))
                .doesNotThrowAnyException();
    }
}
