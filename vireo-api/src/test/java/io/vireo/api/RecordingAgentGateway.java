package io.vireo.api;

import io.vireo.controller.port.AgentGateway;
import io.vireo.model.DesiredVm;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** An agent gateway that records what the controller sends; every host counts as connected. Thread-safe. */
final class RecordingAgentGateway implements AgentGateway {
    /** One message to a host's agent. */
    record Sent(UUID hostId, List<DesiredVm> upserts, List<UUID> removals, boolean fullSet) {}

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized void sendDesiredSet(UUID hostId, List<DesiredVm> vms) {
        sent.add(new Sent(hostId, List.copyOf(vms), List.of(), true));
    }

    @Override
    public synchronized void sendDesiredDelta(UUID hostId, List<DesiredVm> upserts, List<UUID> removals) {
        sent.add(new Sent(hostId, List.copyOf(upserts), List.copyOf(removals), false));
    }

    @Override
    public boolean connected(UUID hostId) {
        return true;
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }
}
