package io.vireo.controller;

import io.vireo.controller.port.AgentGateway;
import io.vireo.model.DesiredVm;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Remembers what the controller sent to agents. */
final class RecordingAgentGateway implements AgentGateway {
    record Sent(UUID hostId, List<DesiredVm> upserts, List<UUID> removals, boolean full) {}

    final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized void sendDesiredSet(UUID hostId, List<DesiredVm> vms) {
        sent.add(new Sent(hostId, vms, List.of(), true));
    }

    @Override
    public synchronized void sendDesiredDelta(UUID hostId, List<DesiredVm> upserts, List<UUID> removals) {
        sent.add(new Sent(hostId, upserts, removals, false));
    }

    @Override
    public boolean connected(UUID hostId) {
        return true;
    }

    synchronized List<DesiredVm> upsertsFor(UUID hostId) {
        return sent.stream()
                .filter(s -> s.hostId().equals(hostId))
                .flatMap(s -> s.upserts().stream())
                .toList();
    }
}
