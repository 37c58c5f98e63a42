package io.vireo.agent;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.vireo.agent.migration.AgentMigrations;
import io.vireo.agent.migration.MigrationCommand;
import io.vireo.agent.migration.MigrationUpdate;
import io.vireo.agent.reconcile.ObservedReport;
import io.vireo.agent.reconcile.VmReconciler;
import io.vireo.agent.wire.MigrationWire;
import io.vireo.agent.wire.ProtoMapping;
import io.vireo.common.VireoException;
import io.vireo.model.HostUsage;
import io.vireo.model.VmStats;
import io.vireo.proto.agent.v1.AgentMessage;
import io.vireo.proto.agent.v1.CertificateIssued;
import io.vireo.proto.agent.v1.CertificateRenewal;
import io.vireo.proto.agent.v1.DesiredDelta;
import io.vireo.proto.agent.v1.Heartbeat;
import io.vireo.proto.agent.v1.HeartbeatAck;
import io.vireo.proto.agent.v1.Refusal;
import io.vireo.proto.agent.v1.Register;
import io.vireo.proto.agent.v1.Registered;
import io.vireo.proto.agent.v1.ServerMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code AgentService.Connect} stream, from {@code Register} to its end. It hands desired sets and deltas to the
 * reconciler and sends reports and heartbeats. A change report is sent only after the session's first full report; a
 * report that finds the transport not ready is dropped and replaced by a full report once it is ready again, so the
 * outbound buffer stays small whatever the server's speed.
 *
 * <p>Threading: gRPC calls the observer methods one at a time; the send methods may be called from any thread and are
 * serialised by a lock, since a gRPC request stream is not thread-safe. The listener hears {@code ended} exactly once.
 */
final class AgentSession implements ClientResponseObserver<AgentMessage, ServerMessage> {
    /**
     * Refusal codes (and gRPC status codes) that mean the credential is bad: reconnecting cannot help. HOST_MISMATCH:
     * the agent spoke for another host than its certificate's; REVOKED: its certificates were revoked.
     */
    static final Set<String> AUTH_FAILURES = Set.of(
            Status.Code.UNAUTHENTICATED.name(), Status.Code.PERMISSION_DENIED.name(), "HOST_MISMATCH", "REVOKED");

    private static final Logger log = LoggerFactory.getLogger(AgentSession.class);

    /** What the client learns from a session; called on gRPC threads. */
    interface Listener {
        void registered(AgentSession session, Registered registered);

        /** The stream is over; {@code fatal} is set if the server refused the agent's credential. */
        void ended(AgentSession session, @Nullable AgentRefusal fatal, String reason);

        /** The server answered a certificate renewal. */
        void certificateIssued(AgentSession session, CertificateIssued issued);

        /** The server recorded a heartbeat this session sent {@code roundTrip} ago. */
        void heartbeatAcknowledged(AgentSession session, Duration roundTrip);
    }

    /** The most heartbeats whose send time is kept for their acknowledgement; older ones are forgotten. */
    static final int MAX_UNACKNOWLEDGED_HEARTBEATS = 64;

    private final long number;
    private final VmReconciler reconciler;
    private final ConsoleReads consoleReads;
    private final AgentMigrations migrations;
    private final Listener listener;
    private final Clock clock;
    private final Object lock = new Object();
    private final AtomicBoolean endReported = new AtomicBoolean();
    private volatile @Nullable Refusal refusal;
    /** Whether this session has lifted a fence guard's marker; only its transport thread touches it. */
    private boolean unfenced;

    // Guarded by lock.
    private @Nullable ClientCallStreamObserver<AgentMessage> requests;
    private boolean registered;
    private boolean fullReportSent;
    private boolean resyncPending;
    private boolean closed;
    private long heartbeatSequence;
    private final Map<Long, Instant> heartbeatsSent = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Instant> eldest) {
            return size() > MAX_UNACKNOWLEDGED_HEARTBEATS;
        }
    };

    AgentSession(
            long number,
            VmReconciler reconciler,
            ConsoleReads consoleReads,
            AgentMigrations migrations,
            Listener listener,
            Clock clock) {
        this.migrations = requireNonNull(migrations, "migrations is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.number = number;
        this.reconciler = requireNonNull(reconciler, "reconciler is null");
        this.consoleReads = requireNonNull(consoleReads, "consoleReads is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    long number() {
        return number;
    }

    boolean registered() {
        synchronized (lock) {
            return registered;
        }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
        synchronized (lock) {
            requests = requestStream;
        }
        requestStream.setOnReadyHandler(this::onReady);
    }

    @Override
    public void onNext(ServerMessage message) {
        switch (message.getBodyCase()) {
            case REGISTERED -> onRegistered(message.getRegistered());
            case DESIRED_SET -> onDesired(message);
            case DESIRED_DELTA -> onDesired(message);
            case REFUSAL -> onRefusal(message.getRefusal());
            case CONSOLE_REQUEST ->
                consoleReads.submit(
                        message.getConsoleRequest(),
                        chunk -> send(
                                AgentMessage.newBuilder().setConsoleChunk(chunk).build()));
            case MIGRATION_PREPARE, MIGRATION_START, MIGRATION_ABORT -> onMigration(message);
            case CERTIFICATE_ISSUED -> listener.certificateIssued(this, message.getCertificateIssued());
            case HEARTBEAT_ACK -> onHeartbeatAck(message.getHeartbeatAck());
            case BODY_NOT_SET -> log.warn("Session {}: ignoring an empty server message", number);
        }
    }

    @Override
    public void onError(Throwable error) {
        Status status = Status.fromThrowable(error);
        AgentRefusal fatal = fatalRefusal();
        if (fatal == null && AUTH_FAILURES.contains(status.getCode().name())) {
            fatal = new AgentRefusal(status.getCode().name(), String.valueOf(status.getDescription()));
        }
        end(fatal, "stream failed: " + status.getCode() + " " + status.getDescription());
    }

    @Override
    public void onCompleted() {
        end(fatalRefusal(), "the server closed the stream");
    }

    void sendRegister(Register register) {
        send(AgentMessage.newBuilder().setRegister(register).build());
    }

    /** Sends a report if the session can; see the class comment for when it cannot. */
    void sendReport(ObservedReport report) {
        synchronized (lock) {
            ClientCallStreamObserver<AgentMessage> stream = requests;
            if (closed || !registered || stream == null || (!report.full() && !fullReportSent)) {
                return;
            }
            if (!stream.isReady()) {
                resyncPending = true;
                return;
            }
            send(AgentMessage.newBuilder()
                    .setVmReport(ProtoMapping.toVmReport(report.full(), report.vms()))
                    .build());
            fullReportSent |= report.full();
        }
    }

    /** Asks for a renewed certificate if the session is registered (the next heartbeat asks again otherwise). */
    void sendCertificateRenewal(byte[] request) {
        if (registered()) {
            send(AgentMessage.newBuilder()
                    .setCertificateRenewal(
                            CertificateRenewal.newBuilder().setCertificateRequest(ByteString.copyFrom(request)))
                    .build());
        }
    }

    private void onMigration(ServerMessage message) {
        MigrationCommand command;
        try {
            command = MigrationWire.command(message);
        } catch (IllegalArgumentException e) {
            log.warn("Session {}: ignoring a malformed migration message: {}", number, e.getMessage());
            return;
        }
        migrations.handle(command);
    }

    /** Sends a migration update if the session is registered (else it is resent after the next registration). */
    void sendMigrationUpdate(MigrationUpdate update) {
        if (registered()) {
            send(AgentMessage.newBuilder()
                    .setMigrationReport(MigrationWire.toProto(update))
                    .build());
        }
    }

    /** Sends a heartbeat unless the transport is backed up (the next one will follow soon). */
    void sendHeartbeat(HostUsage usage, List<VmStats> vmSamples) {
        synchronized (lock) {
            ClientCallStreamObserver<AgentMessage> stream = requests;
            if (closed || !registered || stream == null || !stream.isReady()) {
                return;
            }
            heartbeatsSent.put(++heartbeatSequence, clock.instant());
            send(AgentMessage.newBuilder()
                    .setHeartbeat(Heartbeat.newBuilder()
                            .setSequence(heartbeatSequence)
                            .setUsage(ProtoMapping.toProto(usage))
                            .addAllVmMetrics(vmSamples.stream()
                                    .map(ProtoMapping::toProto)
                                    .toList()))
                    .build());
        }
    }

    /** Ends the stream from this side; the listener hears about it through {@link #onError}. */
    void cancel(String reason) {
        synchronized (lock) {
            ClientCallStreamObserver<AgentMessage> stream = requests;
            if (!closed && stream != null) {
                closed = true;
                stream.cancel(reason, null);
            }
        }
    }

    private void onRegistered(Registered message) {
        synchronized (lock) {
            if (registered) {
                log.warn("Session {}: ignoring a second Registered", number);
                return;
            }
            registered = true;
        }
        listener.registered(this, message);
        reconciler.requestFullReport();
    }

    private void onDesired(ServerMessage message) {
        if (!registered()) {
            log.warn("Session {}: desired state before Registered; applying it anyway", number);
        }
        try {
            if (message.hasDesiredSet()) {
                reconciler.replaceDesired(ProtoMapping.fromProto(message.getDesiredSet()));
                if (!unfenced && registered()) {
                    // the first full set after registering: VMs the server restarted elsewhere while the host was
                    // fenced are no longer in it, so a fence guard's marker may go (ADR 19, ADR 22)
                    unfenced = true;
                    reconciler.unfence();
                }
            } else {
                DesiredDelta delta = message.getDesiredDelta();
                reconciler.applyDelta(ProtoMapping.upserts(delta), ProtoMapping.removals(delta));
            }
        } catch (VireoException e) {
            // A malformed message is ignored whole: applying part of a full set would delete the VMs it left out.
            log.error("Session {}: ignoring a malformed {}: {}", number, message.getBodyCase(), e.getMessage());
        }
    }

    private void onHeartbeatAck(HeartbeatAck ack) {
        Instant sent;
        synchronized (lock) {
            sent = heartbeatsSent.remove(ack.getSequence());
        }
        if (sent != null) {
            listener.heartbeatAcknowledged(this, Duration.between(sent, clock.instant()));
        }
    }

    private void onRefusal(Refusal message) {
        refusal = message;
        log.warn("Session {}: the server refused the agent: {} {}", number, message.getCode(), message.getMessage());
        cancel("refused by the server: " + message.getCode());
    }

    private void onReady() {
        boolean resync;
        synchronized (lock) {
            resync = resyncPending && !closed;
            resyncPending = false;
        }
        if (resync) {
            reconciler.requestFullReport();
        }
    }

    private void send(AgentMessage message) {
        synchronized (lock) {
            ClientCallStreamObserver<AgentMessage> stream = requests;
            if (closed || stream == null) {
                return;
            }
            try {
                stream.onNext(message);
            } catch (RuntimeException e) {
                // The call was cancelled or closed under us; onError will end the session.
                log.debug("Session {}: cannot send {}: {}", number, message.getBodyCase(), e.toString());
            }
        }
    }

    private @Nullable AgentRefusal fatalRefusal() {
        Refusal last = refusal;
        if (last != null && AUTH_FAILURES.contains(last.getCode())) {
            return new AgentRefusal(last.getCode(), last.getMessage());
        }
        return null;
    }

    private void end(@Nullable AgentRefusal fatal, String reason) {
        synchronized (lock) {
            closed = true;
        }
        if (endReported.compareAndSet(false, true)) {
            Refusal last = refusal;
            String why =
                    last != null && fatal == null ? "refused: " + last.getCode() + " " + last.getMessage() : reason;
            listener.ended(this, fatal, why);
        }
    }
}
