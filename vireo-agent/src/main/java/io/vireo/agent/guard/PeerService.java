package io.vireo.agent.guard;

import static java.util.Objects.requireNonNull;

import io.grpc.stub.StreamObserver;
import io.vireo.proto.agent.v1.FenceGuardPeersGrpc;
import io.vireo.proto.agent.v1.PeerAnswer;
import io.vireo.proto.agent.v1.PeerQuery;
import java.util.function.BooleanSupplier;

/**
 * The guard's answer to its peers (ADR 22): whether it, too, has had no renewal granted for longer than the peer
 * lapse and has not fenced ({@link FenceGuard#lostControlPlane}), as of its latest look. Only hosts of the same CA
 * reach it (the listener requires their client certificate). Thread-safe.
 */
final class PeerService extends FenceGuardPeersGrpc.FenceGuardPeersImplBase {
    private final BooleanSupplier lost;

    PeerService(BooleanSupplier lost) {
        this.lost = requireNonNull(lost, "lost is null");
    }

    @Override
    public void lostControlPlane(PeerQuery query, StreamObserver<PeerAnswer> answer) {
        answer.onNext(PeerAnswer.newBuilder().setLost(lost.getAsBoolean()).build());
        answer.onCompleted();
    }
}
