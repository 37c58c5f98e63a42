package io.vireo.server.grpc;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.ConsoleLog;
import io.vireo.proto.agent.v1.ConsoleChunk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The console reads sent to agents and not answered yet, by request id. At most {@link #MAX_PENDING} are outstanding;
 * beyond that a read fails at once. An entry leaves the map when its future completes for any reason: the agent's
 * answer, the end of its session, {@link #MAX_WAIT} passing, or the caller cancelling it, so an agent that never
 * answers cannot fill the map.
 *
 * <p>Thread-safe: one lock guards the map; futures are completed outside it.
 */
final class PendingConsoleReads {
    /** The most console reads outstanding at once, over all agents. */
    static final int MAX_PENDING = 1_000;
    /** A backstop for callers that do not bound their wait. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private record Pending(Object session, CompletableFuture<ConsoleLog> future) {}

    private final Map<String, Pending> pending = new HashMap<>();
    private long nextId;

    /** Registers a read for {@code session}; returns its request id, or fails the future if too many are pending. */
    String add(Object session, CompletableFuture<ConsoleLog> future) {
        requireNonNull(session, "session is null");
        requireNonNull(future, "future is null");
        String requestId;
        synchronized (this) {
            if (pending.size() >= MAX_PENDING) {
                requestId = "";
            } else {
                requestId = "console-" + ++nextId;
                pending.put(requestId, new Pending(session, future));
            }
        }
        if (requestId.isEmpty()) {
            future.completeExceptionally(new VireoException(
                    ErrorCode.UNAVAILABLE, "too many console reads in flight (at most " + MAX_PENDING + ")"));
            return requestId;
        }
        String id = requestId;
        future.orTimeout(MAX_WAIT.toNanos(), TimeUnit.NANOSECONDS).whenComplete((log, failure) -> remove(id));
        return id;
    }

    /** Completes the read {@code chunk} answers, if {@code session} sent it and it is still pending. */
    void complete(Object session, ConsoleChunk chunk) {
        Pending read;
        synchronized (this) {
            read = pending.get(chunk.getRequestId());
            if (read == null || read.session() != session) {
                return;
            }
            pending.remove(chunk.getRequestId());
        }
        if (!chunk.getError().isEmpty()) {
            read.future()
                    .completeExceptionally(
                            new VireoException(ErrorCode.CONFLICT, "cannot read the console log: " + chunk.getError()));
            return;
        }
        try {
            String data = new String(chunk.getData().toByteArray(), StandardCharsets.UTF_8);
            read.future().complete(new ConsoleLog(data, chunk.getOffset(), chunk.getNextOffset(), chunk.getSize()));
        } catch (IllegalArgumentException e) {
            read.future()
                    .completeExceptionally(new VireoException(
                            ErrorCode.UNAVAILABLE, "the agent sent an inconsistent console chunk: " + e.getMessage()));
        }
    }

    /** Fails every read of {@code session}, whose stream has ended. */
    void failAll(Object session, String reason) {
        List<Pending> ended;
        synchronized (this) {
            ended = pending.values().stream()
                    .filter(read -> read.session() == session)
                    .toList();
            pending.values().removeIf(read -> read.session() == session);
        }
        ended.forEach(read -> read.future().completeExceptionally(new VireoException(ErrorCode.UNAVAILABLE, reason)));
    }

    synchronized int size() {
        return pending.size();
    }

    private synchronized void remove(String requestId) {
        pending.remove(requestId);
    }
}
