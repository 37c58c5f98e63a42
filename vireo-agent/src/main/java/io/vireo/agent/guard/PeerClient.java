package io.vireo.agent.guard;

import static java.util.Objects.requireNonNull;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.vireo.proto.agent.v1.FenceGuardPeersGrpc;
import io.vireo.proto.agent.v1.PeerAnswer;
import io.vireo.proto.agent.v1.PeerQuery;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks peer guards whether they lost the control plane too (ADR 22): one channel per listed peer, kept while the
 * grants list it, each checking that the answering certificate is that peer's host. Answers (and only answers: a
 * failure or a timeout is no answer, which counts as "not lost") go to the caller's callback on gRPC's threads.
 * Thread-safe.
 */
final class PeerClient implements GuardLoop.Peers, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerClient.class);

    /** The authority peers are asked under; the certificate check is the host id, not a name. */
    private static final String AUTHORITY = "vireo-fence-guard";

    /** A peer as the server listed it. */
    record Peer(UUID hostId, String address) {
        Peer {
            requireNonNull(hostId, "hostId is null");
            requireNonNull(address, "address is null");
        }
    }

    private final GuardIdentity identity;
    private final Duration timeout;
    private final Map<Peer, ManagedChannel> channels = new HashMap<>();
    private boolean closed;

    PeerClient(GuardIdentity identity, Duration timeout) {
        this.identity = requireNonNull(identity, "identity is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** Asks {@code peer}; {@code answered} gets its host id and answer if it answers within the timeout. */
    @Override
    public void ask(Peer peer, BiConsumer<UUID, Boolean> answered) {
        ManagedChannel channel = channel(peer);
        if (channel == null) {
            return;
        }
        FenceGuardPeersGrpc.newStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .lostControlPlane(PeerQuery.getDefaultInstance(), new StreamObserver<>() {
                    @Override
                    public void onNext(PeerAnswer answer) {
                        answered.accept(peer.hostId(), answer.getLost());
                    }

                    @Override
                    public void onError(Throwable t) {
                        log.debug("peer {} at {} did not answer: {}", peer.hostId(), peer.address(), t.toString());
                    }

                    @Override
                    public void onCompleted() {}
                });
    }

    /** Closes the channels of peers no longer listed. */
    @Override
    public synchronized void retain(List<Peer> peers) {
        Set<Peer> keep = Set.copyOf(peers);
        Map<Peer, ManagedChannel> gone = channels.entrySet().stream()
                .filter(entry -> !keep.contains(entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        gone.forEach((peer, channel) -> {
            channel.shutdownNow();
            channels.remove(peer);
        });
    }

    private synchronized @Nullable ManagedChannel channel(Peer peer) {
        if (closed) {
            return null;
        }
        return channels.computeIfAbsent(peer, listed -> {
            HostPort target = HostPort.parse(listed.address());
            return Grpc.newChannelBuilderForAddress(target.host(), target.port(), identity.peerChannel(listed.hostId()))
                    .overrideAuthority(AUTHORITY)
                    .build();
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
