package io.vireo.server.grpc;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vireo.agent.wire.ProtoMapping;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.AgentSessions;
import io.vireo.controller.HeartbeatBatcher;
import io.vireo.controller.HostEnrollment;
import io.vireo.controller.port.AgentGateway;
import io.vireo.controller.port.ConsoleLog;
import io.vireo.controller.port.HostRevocation;
import io.vireo.model.DesiredVm;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostUsage;
import io.vireo.model.VmStats;
import io.vireo.pki.Certificates;
import io.vireo.proto.agent.v1.AgentMessage;
import io.vireo.proto.agent.v1.AgentServiceGrpc;
import io.vireo.proto.agent.v1.CertificateIssued;
import io.vireo.proto.agent.v1.ConsoleRequest;
import io.vireo.proto.agent.v1.HeartbeatAck;
import io.vireo.proto.agent.v1.Refusal;
import io.vireo.proto.agent.v1.Register;
import io.vireo.proto.agent.v1.Registered;
import io.vireo.proto.agent.v1.ServerMessage;
import io.vireo.proto.agent.v1.VmMetricsSample;
import io.vireo.server.tls.HostCertificateIssuer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one session per connected agent and implements the controller's {@link AgentGateway} on top of them.
 *
 * <p>Ordering: a new session is published before its full desired set is computed, and the set is computed and sent
 * under the session's send lock, so that a delta for a VM claimed concurrently arrives after the full set, never
 * before it. A second session for the same host replaces the first, which is refused and closed.
 *
 * <p>Identity: every stream is a host's, the one its client certificate is bound to ({@link AgentPeers}); a Register
 * for another host id, or under a name another host has, is refused (HOST_MISMATCH) and recorded. Everything else the
 * stream says is taken as being about that host: a VM report or sample of a VM placed elsewhere is ignored. A host
 * whose certificates are revoked ({@link #revoke}) is disconnected at once.
 *
 * <p>Console reads are requests with a fresh id, kept in {@link PendingConsoleReads} until the agent's chunk arrives
 * or the session ends, which fails them.
 *
 * <p>Threading: messages of one agent arrive serially on a transport thread; sends from any thread are serialised per
 * session.
 */
public final class AgentStreamService extends AgentServiceGrpc.AgentServiceImplBase
        implements AgentGateway, HostRevocation {
    private static final Logger log = LoggerFactory.getLogger(AgentStreamService.class);

    /** The heartbeat's VM samples; one that is out of range is dropped (and logged) without losing the others. */
    private static List<VmStats> vmSamples(UUID hostId, List<VmMetricsSample> samples) {
        List<VmStats> mapped = new ArrayList<>(samples.size());
        for (VmMetricsSample sample : samples) {
            try {
                mapped.add(ProtoMapping.fromProto(sample));
            } catch (VireoException e) {
                log.warn("host {}: dropping a metrics sample of vm '{}': {}", hostId, sample.getVmId(), e.getMessage());
            }
        }
        return mapped;
    }

    private final AgentSessions sessions;
    private final Duration heartbeatInterval;
    private final HeartbeatBatcher heartbeats;
    private final HostEnrollment enrollment;
    private final HostCertificateIssuer issuer;
    private final byte[] metricsTokenSha256;
    private final Map<UUID, Session> byHost = new ConcurrentHashMap<>();
    private final PendingConsoleReads consoleReads = new PendingConsoleReads();
    private volatile AgentMessageListener listener = (hostId, message) -> {};
    private volatile Consumer<UUID> otherReplicas = hostId -> {};

    /** Hears migration reports and VM reports of registered agents, on their transport threads. */
    @FunctionalInterface
    public interface AgentMessageListener {
        /**
         * Takes one message.
         *
         * @throws RuntimeException if what the message says could not be recorded: the agent is made to send it again
         */
        void onMessage(UUID hostId, AgentMessage message);
    }

    /** @param heartbeats where heartbeats go, to be written in batches by whoever flushes it */
    public AgentStreamService(
            AgentSessions sessions,
            HeartbeatBatcher heartbeats,
            Duration heartbeatInterval,
            HostEnrollment enrollment,
            HostCertificateIssuer issuer) {
        this(sessions, heartbeats, heartbeatInterval, enrollment, issuer, new byte[0]);
    }

    /**
     * @param metricsTokenSha256 the SHA-256 of the token that scrapes of the agents' {@code /metrics} present, sent to
     *     every agent at registration (ADR 21); empty: agents refuse every scrape
     */
    public AgentStreamService(
            AgentSessions sessions,
            HeartbeatBatcher heartbeats,
            Duration heartbeatInterval,
            HostEnrollment enrollment,
            HostCertificateIssuer issuer,
            byte[] metricsTokenSha256) {
        this.metricsTokenSha256 = metricsTokenSha256.clone();
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.heartbeats = requireNonNull(heartbeats, "heartbeats is null");
        this.heartbeatInterval = requireNonNull(heartbeatInterval, "heartbeatInterval is null");
        this.enrollment = requireNonNull(enrollment, "enrollment is null");
        this.issuer = requireNonNull(issuer, "issuer is null");
    }

    /** Opens a host's stream; only through {@link AgentPeers#requireCertificate}, which names the host. */
    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ServerMessage> responses) {
        AgentPeers.Peer peer = AgentPeers.CURRENT.get();
        UUID hostId = peer == null ? null : peer.hostId();
        if (peer == null || hostId == null) {
            responses.onError(Status.UNAUTHENTICATED
                    .withDescription("a client certificate is required")
                    .asRuntimeException());
            return new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage message) {}

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
            };
        }
        return new Inbound(responses, peer, hostId);
    }

    /**
     * Revokes every certificate of the host (it is being deleted) and ends its stream here; other replicas are told
     * ({@link #tellOtherReplicasWith}) and end it there ({@link #resync}). Returns how many certificates were revoked.
     */
    @Override
    public int revoke(UUID hostId) {
        int revoked = enrollment.revokeHost(hostId);
        Session session = byHost.get(hostId);
        if (session != null) {
            session.refuse("REVOKED", "the host's certificates were revoked");
            byHost.remove(hostId, session);
        }
        otherReplicas.accept(hostId);
        return revoked;
    }

    /** Sets how other replicas are told to look at a host's stream again (a signal that makes them {@link #resync}). */
    public void tellOtherReplicasWith(Consumer<UUID> signal) {
        this.otherReplicas = requireNonNull(signal, "signal is null");
    }

    @Override
    public void sendDesiredSet(UUID hostId, List<DesiredVm> vms) {
        Session session = byHost.get(hostId);
        if (session != null) {
            session.send(ServerMessage.newBuilder()
                    .setDesiredSet(ProtoMapping.toDesiredSet(vms))
                    .build());
        }
    }

    @Override
    public void sendDesiredDelta(UUID hostId, List<DesiredVm> upserts, List<UUID> removals) {
        Session session = byHost.get(hostId);
        if (session != null) {
            session.send(ServerMessage.newBuilder()
                    .setDesiredDelta(ProtoMapping.toDesiredDelta(upserts, removals))
                    .build());
        }
    }

    /** Sets who hears migration reports and VM reports (after {@link AgentSessions} has folded them). */
    public void listen(AgentMessageListener messages) {
        this.listener = requireNonNull(messages, "messages is null");
    }

    /** Sends {@code message} to the host's agent if it is connected; drops it otherwise. */
    public void sendTo(UUID hostId, ServerMessage message) {
        Session session = byHost.get(hostId);
        if (session != null) {
            session.send(message);
        }
    }

    @Override
    public boolean connected(UUID hostId) {
        return byHost.containsKey(hostId);
    }

    @Override
    public CompletableFuture<ConsoleLog> readConsole(UUID hostId, UUID vmId, long offset, int maxBytes) {
        CompletableFuture<ConsoleLog> future = new CompletableFuture<>();
        Session session = byHost.get(hostId);
        if (session == null) {
            future.completeExceptionally(
                    new VireoException(ErrorCode.UNAVAILABLE, "host " + hostId + " is not connected"));
            return future;
        }
        String requestId = consoleReads.add(session, future);
        if (!requestId.isEmpty()) {
            session.send(ServerMessage.newBuilder()
                    .setConsoleRequest(ConsoleRequest.newBuilder()
                            .setRequestId(requestId)
                            .setVmId(vmId.toString())
                            .setOffset(offset)
                            .setMaxBytes(maxBytes))
                    .build());
            if (session.isClosed()) {
                consoleReads.failAll(session, "host " + hostId + " disconnected");
            }
        }
        return future;
    }

    /** Sends every connected agent its full desired set again: the level-triggered backstop. */
    public void resyncAll() {
        byHost.values().forEach(Session::sendFullSet);
    }

    /**
     * Sends the host's agent its full desired set now, if it is connected here; otherwise does nothing. A stream whose
     * certificate no longer speaks for its host (revoked, on this replica or another) is ended instead.
     */
    public void resync(UUID hostId) {
        Session session = byHost.get(hostId);
        if (session == null) {
            return;
        }
        Optional<String> refusal = enrollment.certificateRefusal(session.serial, hostId);
        if (refusal.isPresent()) {
            log.warn("host {}: ending its stream: {}", hostId, refusal.get());
            session.refuse("REVOKED", refusal.get());
            byHost.remove(hostId, session);
            return;
        }
        session.sendFullSet();
    }

    /** Closes every session; agents will reconnect to whichever server is there. */
    public void closeAll() {
        byHost.values().forEach(Session::complete);
        byHost.clear();
    }

    public int sessionCount() {
        return byHost.size();
    }

    /** Where an agent connected here serves its Prometheus metrics. */
    public record MetricsTarget(UUID hostId, String hostName, String address) {
        public MetricsTarget {
            requireNonNull(hostId, "hostId is null");
            requireNonNull(hostName, "hostName is null");
            requireNonNull(address, "address is null");
        }
    }

    /** The metrics targets of the agents connected to this replica that serve metrics, by host name. */
    public List<MetricsTarget> metricsTargets() {
        return byHost.values().stream()
                .map(session -> session.metricsTarget)
                .filter(java.util.Objects::nonNull)
                .sorted(java.util.Comparator.comparing(MetricsTarget::hostName))
                .toList();
    }

    /**
     * The {@code host:port} to scrape an agent at: the address its stream comes from, with the port it serves metrics
     * on; null if it serves none or the address is not an IP address. Never an address the agent names: a compromised
     * agent must not point scrapes, which carry the scrape token, at another machine.
     */
    static @Nullable String metricsAddress(Register register, @Nullable String streamAddress) {
        int port = register.getMetricsPort();
        if (port < 1 || port > 65_535 || streamAddress == null || !streamAddress.matches("[0-9A-Fa-f.:%]{2,64}")) {
            return null;
        }
        return (streamAddress.contains(":") ? "[" + streamAddress + "]" : streamAddress) + ":" + port;
    }

    /** One agent's stream: the outbound half with its send lock. */
    private final class Session {
        private final UUID hostId;
        private final String serial;
        private final StreamObserver<ServerMessage> out;
        private final boolean heartbeatAcks;
        private final @Nullable MetricsTarget metricsTarget;
        private boolean closed;

        Session(UUID hostId, String serial, StreamObserver<ServerMessage> out) {
            this(hostId, serial, out, false, null);
        }

        Session(
                UUID hostId,
                String serial,
                StreamObserver<ServerMessage> out,
                boolean heartbeatAcks,
                @Nullable MetricsTarget metricsTarget) {
            this.hostId = hostId;
            this.serial = serial;
            this.out = out;
            this.heartbeatAcks = heartbeatAcks;
            this.metricsTarget = metricsTarget;
        }

        synchronized void send(ServerMessage message) {
            if (closed) {
                return;
            }
            try {
                out.onNext(message);
            } catch (RuntimeException e) {
                log.info("host {}: send failed, dropping the session: {}", hostId, e.toString());
                closed = true;
                consoleReads.failAll(this, "host " + hostId + ": send failed");
                byHost.remove(hostId, this);
            }
        }

        synchronized void sendFullSet() {
            send(ServerMessage.newBuilder()
                    .setDesiredSet(ProtoMapping.toDesiredSet(sessions.desiredSet(hostId)))
                    .build());
        }

        synchronized void refuse(String code, String message) {
            send(ServerMessage.newBuilder()
                    .setRefusal(Refusal.newBuilder().setCode(code).setMessage(message))
                    .build());
            complete();
        }

        synchronized void complete() {
            if (!closed) {
                closed = true;
                consoleReads.failAll(this, "host " + hostId + ": session closed");
                try {
                    out.onCompleted();
                } catch (RuntimeException e) {
                    log.debug("host {}: completing the stream failed: {}", hostId, e.toString());
                }
            }
        }

        synchronized void markClosed() {
            closed = true;
        }

        synchronized boolean isClosed() {
            return closed;
        }
    }

    private static ServerMessage heartbeatAck(long sequence) {
        return ServerMessage.newBuilder()
                .setHeartbeatAck(HeartbeatAck.newBuilder().setSequence(sequence))
                .build();
    }

    private static @Nullable UUID parseUuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The inbound half of one agent's stream. */
    private final class Inbound implements StreamObserver<AgentMessage> {
        private final StreamObserver<ServerMessage> responses;
        private final UUID certificateHostId;
        private final String serial;
        private final @Nullable String address;
        private @Nullable Session session;

        Inbound(StreamObserver<ServerMessage> responses, AgentPeers.Peer peer, UUID certificateHostId) {
            this.responses = responses;
            this.certificateHostId = certificateHostId;
            this.serial = peer.serial();
            this.address = peer.address();
        }

        @Override
        public void onNext(AgentMessage message) {
            Session current = session;
            switch (message.getBodyCase()) {
                case REGISTER -> register(message.getRegister());
                case HEARTBEAT -> {
                    if (current != null) {
                        HostUsage usage =
                                ProtoMapping.fromProto(message.getHeartbeat().getUsage());
                        List<VmStats> samples =
                                vmSamples(current.hostId, message.getHeartbeat().getVmMetricsList());
                        if (current.heartbeatAcks) {
                            // acknowledged once the batch holding it is committed
                            long sequence = message.getHeartbeat().getSequence();
                            heartbeats.offer(
                                    current.hostId, usage, samples, () -> current.send(heartbeatAck(sequence)));
                        } else {
                            heartbeats.offer(current.hostId, usage, samples);
                        }
                    }
                }
                case VM_REPORT -> {
                    if (current != null) {
                        boolean recorded = sessions.report(
                                current.hostId,
                                ProtoMapping.fromProto(message.getVmReport()),
                                message.getVmReport().getFull());
                        recorded &= deliver(current, message);
                        if (!recorded) {
                            reportAgain(current);
                        }
                    }
                }
                case MIGRATION_REPORT -> {
                    if (current != null && !deliver(current, message)) {
                        reportAgain(current);
                    }
                }
                case CONSOLE_CHUNK -> {
                    if (current != null) {
                        consoleReads.complete(current, message.getConsoleChunk());
                    }
                }
                case CERTIFICATE_RENEWAL -> {
                    if (current != null) {
                        renew(
                                current,
                                message.getCertificateRenewal()
                                        .getCertificateRequest()
                                        .toByteArray());
                    }
                }
                case BODY_NOT_SET -> log.debug("ignoring an empty agent message");
            }
        }

        /** Hands {@code message} to the listener; false if it failed to record what the message says. */
        private boolean deliver(Session current, AgentMessage message) {
            try {
                listener.onMessage(current.hostId, message);
                return true;
            } catch (RuntimeException e) {
                log.warn("host {}: could not record a {} message", current.hostId, message.getBodyCase(), e);
                return false;
            }
        }

        /**
         * The agent reports a change once: one the store did not take would be lost. Ending the session makes the
         * agent reconnect (with backoff, so an outage of the store is waited out), send a full report and resend its
         * migration reports.
         */
        private void reportAgain(Session current) {
            current.refuse("UNAVAILABLE", "the server could not record a report; reconnect and report again");
        }

        /** Signs a renewed certificate for the stream's host; a bad request is logged and answered with nothing. */
        private void renew(Session current, byte[] request) {
            X509Certificate certificate;
            try {
                certificate = issuer.renew(current.hostId, request);
            } catch (VireoException e) {
                log.warn("host {}: refusing a certificate renewal: {}", current.hostId, e.getMessage());
                return;
            }
            log.info(
                    "host {}: certificate renewed ({}, valid until {})",
                    current.hostId,
                    Certificates.serial(certificate),
                    certificate.getNotAfter().toInstant());
            current.send(ServerMessage.newBuilder()
                    .setCertificateIssued(CertificateIssued.newBuilder()
                            .setCertificate(ByteString.copyFrom(Certificates.der(certificate)))
                            .setCaCertificate(ByteString.copyFrom(Certificates.der(issuer.authorityCertificate()))))
                    .build());
        }

        /** Refuses the stream because it speaks for another host than its certificate's, and records why. */
        private void refuseMismatch(UUID targetId, String targetName, String reason) {
            enrollment.refuseAgent(certificateHostId, "agent.register", targetId, targetName, reason, address);
            new Session(certificateHostId, serial, responses).refuse("HOST_MISMATCH", reason);
        }

        private void register(Register register) {
            Session previous = session;
            if (previous != null) {
                previous.refuse("PROTOCOL", "register sent twice on one stream");
                return;
            }
            if (register.getProtocolVersion() != ProtoMapping.PROTOCOL_VERSION) {
                new Session(new UUID(0, 0), serial, responses)
                        .refuse(
                                "PROTOCOL_VERSION",
                                "server speaks protocol " + ProtoMapping.PROTOCOL_VERSION + ", agent "
                                        + register.getProtocolVersion());
                return;
            }
            if (!Names.isValid(register.getHostName())) {
                new Session(new UUID(0, 0), serial, responses)
                        .refuse("INVALID_ARGUMENT", "host name must be a DNS label of a-z, 0-9 and '-'");
                return;
            }
            if (!register.getHostId().equals(certificateHostId.toString())) {
                UUID claimed = parseUuid(register.getHostId());
                refuseMismatch(
                        claimed == null ? HostEnrollment.NOBODY : claimed,
                        register.getHostName(),
                        "the certificate of host " + certificateHostId + " may not speak for host '"
                                + register.getHostId() + "'");
                return;
            }
            HostRegistration registration = ProtoMapping.fromProto(
                    register,
                    refused -> log.warn(
                            "host {} reports a reservation the server ignores (the default applies): reserved {}",
                            register.getHostName(),
                            refused));
            Host host;
            try {
                host = sessions.register(certificateHostId, registration, address);
            } catch (VireoException e) {
                if (e.code() != ErrorCode.CONFLICT) {
                    throw e;
                }
                UUID named = sessions.hostIdByName(register.getHostName()).orElse(certificateHostId);
                refuseMismatch(named, register.getHostName(), String.valueOf(e.getMessage()));
                return;
            }
            String metricsAddress = metricsAddress(register, address);
            Session fresh = new Session(
                    host.id(),
                    serial,
                    responses,
                    register.getHeartbeatAcks(),
                    metricsAddress == null ? null : new MetricsTarget(host.id(), host.name(), metricsAddress));
            session = fresh;
            Session replaced = byHost.put(host.id(), fresh);
            if (replaced != null) {
                replaced.refuse("REPLACED", "a newer session of host " + host.name() + " took over");
            }
            synchronized (fresh) {
                fresh.send(ServerMessage.newBuilder()
                        .setRegistered(Registered.newBuilder()
                                .setHostId(host.id().toString())
                                .setHeartbeatIntervalMillis(heartbeatInterval.toMillis())
                                .setProtocolVersion(ProtoMapping.PROTOCOL_VERSION)
                                .setMetricsTokenSha256(ByteString.copyFrom(metricsTokenSha256)))
                        .build());
                fresh.sendFullSet();
            }
            log.info("host {} ({}) connected", host.name(), host.id());
        }

        @Override
        public void onError(Throwable t) {
            end("stream failed: " + t);
        }

        @Override
        public void onCompleted() {
            end("agent closed the stream");
            try {
                responses.onCompleted();
            } catch (RuntimeException e) {
                log.debug("completing the response stream failed: {}", e.toString());
            }
        }

        private void end(String why) {
            Session current = session;
            if (current != null) {
                current.markClosed();
                consoleReads.failAll(current, "host " + current.hostId + " disconnected: " + why);
                if (byHost.remove(current.hostId, current)) {
                    log.info("host {} disconnected: {}", current.hostId, why);
                }
            }
        }
    }
}
