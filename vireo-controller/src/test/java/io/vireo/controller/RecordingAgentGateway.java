package io.vireo.controller;

import io.vireo.controller.port.AgentGateway;
import io.vireo.controller.port.ConsoleLog;
import io.vireo.model.DesiredVm;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Remembers what the controller sent to agents. */
final class RecordingAgentGateway implements AgentGateway {
    /** One console read the controller asked for. */
    record ConsoleRead(UUID hostId, UUID vmId, long offset, int maxBytes) {}

    /** The console log of every VM (ASCII, so characters are bytes); tests may replace it. */
    volatile String console = "fake console: booted\nlogin: \n";
    /** When set, console reads fail with it. */
    volatile @Nullable RuntimeException consoleFailure;

    private final List<ConsoleRead> consoleReads = new ArrayList<>();

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

    /** Answers with {@link #console} (or the failure in {@link #consoleFailure}), sliced as an agent would. */
    @Override
    public synchronized CompletableFuture<ConsoleLog> readConsole(UUID hostId, UUID vmId, long offset, int maxBytes) {
        consoleReads.add(new ConsoleRead(hostId, vmId, offset, maxBytes));
        RuntimeException failure = consoleFailure;
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        int size = console.length();
        int start = (int) (offset < 0 ? Math.max(0, size + Math.max(offset, -size)) : Math.min(offset, size));
        int end = (int) Math.min(size, (long) start + maxBytes);
        return CompletableFuture.completedFuture(new ConsoleLog(console.substring(start, end), start, end, size));
    }

    synchronized List<DesiredVm> upsertsFor(UUID hostId) {
        return sent.stream()
                .filter(s -> s.hostId().equals(hostId))
                .flatMap(s -> s.upserts().stream())
                .toList();
    }

    synchronized List<ConsoleRead> consoleReads() {
        return List.copyOf(consoleReads);
    }
}
