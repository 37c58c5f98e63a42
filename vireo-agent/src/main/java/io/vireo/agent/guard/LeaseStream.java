package io.vireo.agent.guard;

import static java.util.Objects.requireNonNull;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.vireo.proto.agent.v1.HostLeaseGrpc;
import io.vireo.proto.agent.v1.LeaseGrant;
import io.vireo.proto.agent.v1.LeaseRenewal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard's end of {@code HostLease.Renew} (ADR 22): one stream at a time, opened by the first renewal sent after
 * the previous one ended. A stream that has had no grant for {@code staleStream} while renewals were sent on it (a
 * connection that died without a reset) is cancelled, and the next renewal opens a fresh one. Nothing here decides
 * anything: the guard times its lease only from grants. Thread-safe: renewals come from the guard's thread, grants
 * arrive on gRPC's threads and go to {@code grants}.
 */
final class LeaseStream implements GuardLoop.Renewals, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseStream.class);

    private final Channel channel;
    private final Consumer<LeaseGrant> grants;
    private final Clock clock;
    private final Duration staleStream;
    private @Nullable ClientCallStreamObserver<LeaseRenewal> call;
    private Instant lastGrant = Instant.MIN;
    private Instant opened = Instant.MIN;
    private boolean connectedLogged;
    private boolean closed;

    LeaseStream(Channel channel, Consumer<LeaseGrant> grants, Clock clock, Duration staleStream) {
        this.channel = requireNonNull(channel, "channel is null");
        this.grants = requireNonNull(grants, "grants is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.staleStream = requireNonNull(staleStream, "staleStream is null");
    }

    /** Sends renewal {@code sequence}, opening a stream if none is open. */
    @Override
    public synchronized void send(long sequence, String guardAddress) {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        ClientCallStreamObserver<LeaseRenewal> current = call;
        if (current != null && later(lastGrant, opened).plus(staleStream).isBefore(now)) {
            log.warn("lease stream: no grant for {} ms; opening a new one", staleStream.toMillis());
            current.cancel("no grant for " + staleStream, null);
            call = null;
            current = null;
        }
        if (current == null) {
            current = open();
            opened = now;
        }
        try {
            current.onNext(LeaseRenewal.newBuilder()
                    .setSequence(sequence)
                    .setGuardAddress(guardAddress)
                    .build());
        } catch (RuntimeException e) {
            log.debug("lease stream: cannot send renewal {}: {}", sequence, e.toString());
            call = null;
        }
    }

    private ClientCallStreamObserver<LeaseRenewal> open() {
        Responses responses = new Responses();
        HostLeaseGrpc.newStub(channel).renew(responses);
        ClientCallStreamObserver<LeaseRenewal> opened = requireNonNull(responses.requests, "the call was started");
        call = opened;
        return opened;
    }

    private synchronized void granted(ClientCallStreamObserver<LeaseRenewal> on, LeaseGrant grant) {
        if (on == call) {
            lastGrant = clock.instant();
            if (!connectedLogged) {
                connectedLogged = true;
                log.info("lease stream: granted by the server");
            }
        }
        grants.accept(grant);
    }

    private synchronized void ended(ClientCallStreamObserver<LeaseRenewal> on, Status status) {
        if (on == call) {
            call = null;
        }
        if (connectedLogged) {
            log.warn("lease stream ended: {} {}", status.getCode(), String.valueOf(status.getDescription()));
        } else {
            log.debug("lease stream ended: {} {}", status.getCode(), String.valueOf(status.getDescription()));
        }
        connectedLogged = false;
    }

    @Override
    public synchronized void close() {
        closed = true;
        ClientCallStreamObserver<LeaseRenewal> current = call;
        call = null;
        if (current != null) {
            current.cancel("the guard stops", null);
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private final class Responses implements ClientResponseObserver<LeaseRenewal, LeaseGrant> {
        private @Nullable ClientCallStreamObserver<LeaseRenewal> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<LeaseRenewal> stream) {
            this.requests = stream;
        }

        @Override
        public void onNext(LeaseGrant grant) {
            ClientCallStreamObserver<LeaseRenewal> stream = requests;
            if (stream != null) {
                granted(stream, grant);
            }
        }

        @Override
        public void onError(Throwable t) {
            ClientCallStreamObserver<LeaseRenewal> stream = requests;
            if (stream != null) {
                ended(stream, Status.fromThrowable(t));
            }
        }

        @Override
        public void onCompleted() {
            ClientCallStreamObserver<LeaseRenewal> stream = requests;
            if (stream != null) {
                ended(stream, Status.OK.withDescription("the server ended the stream"));
            }
        }
    }
}
