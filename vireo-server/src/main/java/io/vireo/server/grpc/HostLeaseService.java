package io.vireo.server.grpc;

import static java.util.Objects.requireNonNull;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vireo.controller.HaSettings;
import io.vireo.controller.LeaseRenewalBatcher;
import io.vireo.proto.agent.v1.GuardPeer;
import io.vireo.proto.agent.v1.HostLeaseGrpc;
import io.vireo.proto.agent.v1.LeaseGrant;
import io.vireo.proto.agent.v1.LeaseRenewal;
import java.util.List;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fence guards' lease stream (ADR 22): each renewal is offered to the {@link LeaseRenewalBatcher} and answered,
 * once its batch is committed, with a grant naming its sequence, the host's peers' guard addresses ({@link
 * GuardDirectory}), the number of guarded hosts and the server's timings. The host is the one the client certificate
 * names ({@link AgentPeers#requireCertificate}, checked once per stream); a renewal carries no host id.
 *
 * <p>Threading: a stream's renewals arrive serially on its transport thread; grants are sent from the batcher's
 * executor, serialised per stream.
 */
public final class HostLeaseService extends HostLeaseGrpc.HostLeaseImplBase {
    private static final Logger log = LoggerFactory.getLogger(HostLeaseService.class);

    private final LeaseRenewalBatcher renewals;
    private final GuardDirectory guards;
    private final HaSettings ha;
    private final IntSupplier guardedHosts;

    /**
     * @param guardedHosts how many hosts the server's monitor last counted as guarded (a lease, not FENCED)
     */
    public HostLeaseService(
            LeaseRenewalBatcher renewals, GuardDirectory guards, HaSettings ha, IntSupplier guardedHosts) {
        this.renewals = requireNonNull(renewals, "renewals is null");
        this.guards = requireNonNull(guards, "guards is null");
        this.ha = requireNonNull(ha, "ha is null");
        this.guardedHosts = requireNonNull(guardedHosts, "guardedHosts is null");
    }

    @Override
    public StreamObserver<LeaseRenewal> renew(StreamObserver<LeaseGrant> grants) {
        AgentPeers.Peer peer = AgentPeers.CURRENT.get();
        UUID hostId = peer == null ? null : peer.hostId();
        if (hostId == null) {
            grants.onError(Status.UNAUTHENTICATED
                    .withDescription("a host certificate is required")
                    .asRuntimeException());
            return new Ignored();
        }
        log.info("host {}: fence guard connected from {}", hostId, peer.address());
        return new Renewals(hostId, grants);
    }

    private final class Renewals implements StreamObserver<LeaseRenewal> {
        private final UUID hostId;
        private final StreamObserver<LeaseGrant> grants;
        private boolean closed;

        Renewals(UUID hostId, StreamObserver<LeaseGrant> grants) {
            this.hostId = hostId;
            this.grants = grants;
        }

        @Override
        public void onNext(LeaseRenewal renewal) {
            String address = renewal.getGuardAddress();
            if (!address.isEmpty()) {
                if (GuardDirectory.validAddress(address)) {
                    guards.record(hostId, address);
                } else {
                    log.warn("host {}: ignoring a guard address that is not IP:PORT", hostId);
                }
            }
            long sequence = renewal.getSequence();
            renewals.offer(hostId, () -> send(sequence));
        }

        private synchronized void send(long sequence) {
            if (closed) {
                return;
            }
            List<GuardDirectory.Entry> peers = guards.peersOf(hostId);
            LeaseGrant.Builder grant = LeaseGrant.newBuilder()
                    .setSequence(sequence)
                    .setGuardedHosts(Math.max(0, guardedHosts.getAsInt()))
                    .setRenewalIntervalMillis(ha.renewalInterval().toMillis())
                    .setFenceDeadlineMillis(ha.fenceDeadline().toMillis())
                    .setSuspectAfterMillis(ha.suspectAfter().toMillis())
                    .setHoldShare(ha.massSuspectShare());
            for (GuardDirectory.Entry entry : peers) {
                grant.addPeers(GuardPeer.newBuilder()
                        .setHostId(entry.hostId().toString())
                        .setAddress(entry.address()));
            }
            try {
                grants.onNext(grant.build());
            } catch (RuntimeException e) {
                closed = true;
                log.debug("host {}: cannot send a lease grant: {}", hostId, e.toString());
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            closed = true;
            log.info("host {}: fence guard stream ended: {}", hostId, Status.fromThrowable(t));
        }

        @Override
        public synchronized void onCompleted() {
            if (!closed) {
                closed = true;
                try {
                    grants.onCompleted();
                } catch (RuntimeException e) {
                    log.debug("host {}: completing the lease stream failed: {}", hostId, e.toString());
                }
            }
        }
    }

    private static final class Ignored implements StreamObserver<LeaseRenewal> {
        @Override
        public void onNext(LeaseRenewal value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
    }
}
