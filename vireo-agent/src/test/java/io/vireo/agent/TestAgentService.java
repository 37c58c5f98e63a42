package io.vireo.agent;

import com.google.protobuf.ByteString;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vireo.agent.wire.ProtoMapping;
import io.vireo.model.DesiredVm;
import io.vireo.model.HostUsage;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import io.vireo.model.VmStats;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.Certificates;
import io.vireo.proto.agent.v1.AgentEnrollmentGrpc;
import io.vireo.proto.agent.v1.AgentMessage;
import io.vireo.proto.agent.v1.AgentServiceGrpc;
import io.vireo.proto.agent.v1.CertificateIssued;
import io.vireo.proto.agent.v1.ConsoleChunk;
import io.vireo.proto.agent.v1.ConsoleRequest;
import io.vireo.proto.agent.v1.EnrollRequest;
import io.vireo.proto.agent.v1.EnrollResponse;
import io.vireo.proto.agent.v1.HeartbeatAck;
import io.vireo.proto.agent.v1.Refusal;
import io.vireo.proto.agent.v1.Register;
import io.vireo.proto.agent.v1.Registered;
import io.vireo.proto.agent.v1.ServerMessage;
import io.vireo.proto.agent.v1.VmReport;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * A hand-written server side of the agent protocol for tests: it checks that the client certificate is the expected
 * host's and that {@code Register} speaks for that host, answers {@code Register}
 * with {@code Registered} and the current desired set, folds the agent's reports into a view as the real server
 * would, counts heartbeats (acknowledging them if the agent asked), signs certificate renewals with its CA, enrolls an agent presenting {@link #JOIN_SECRET}
 * once, and can push deltas or drop every stream. Thread-safe (one lock for everything).
 */
final class TestAgentService extends AgentServiceGrpc.AgentServiceImplBase {
    /** The join secret {@link #enrollment()} accepts, once. */
    static final String JOIN_SECRET = "test-join-secret-0123456789abcdefghijklmnopq";

    private static final Context.Key<String> CERTIFICATE_HOST = Context.key("certificate-host");

    private final UUID hostId;
    private final CertificateAuthority authority;
    private final List<X509Certificate> renewed = new ArrayList<>();
    private boolean joinSecretUsed;
    private final long heartbeatIntervalMillis;
    private final List<ServerStream> streams = new ArrayList<>();
    private final List<Register> registrations = new ArrayList<>();
    private final List<VmReport> reports = new ArrayList<>();
    private final List<HostUsage> heartbeats = new ArrayList<>();
    private final List<List<VmStats>> heartbeatSamples = new ArrayList<>();
    private final List<ConsoleChunk> consoleChunks = new ArrayList<>();
    private final Map<UUID, ObservedVm> view = new HashMap<>();
    private List<DesiredVm> desired = List.of();

    TestAgentService(UUID hostId, CertificateAuthority authority, long heartbeatIntervalMillis) {
        this.hostId = hostId;
        this.authority = authority;
        this.heartbeatIntervalMillis = heartbeatIntervalMillis;
    }

    /** Puts the client certificate's host id (or "") in the call's context, where {@link #connect} reads it. */
    static ServerInterceptor certificateInterceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String host = "";
                SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
                if (session != null) {
                    try {
                        if (session.getPeerCertificates()[0] instanceof X509Certificate leaf) {
                            host = Certificates.hostId(leaf).map(UUID::toString).orElse("");
                        }
                    } catch (SSLPeerUnverifiedException e) {
                        host = "";
                    }
                }
                Context context = Context.current().withValue(CERTIFICATE_HOST, host);
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
    }

    /** Enrollment: the first request with {@link #JOIN_SECRET} gets a certificate for the expected host. */
    BindableService enrollment() {
        return new AgentEnrollmentGrpc.AgentEnrollmentImplBase() {
            @Override
            public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> response) {
                synchronized (TestAgentService.this) {
                    if (!request.getJoinSecret().equals(JOIN_SECRET) || joinSecretUsed) {
                        response.onError(Status.PERMISSION_DENIED
                                .withDescription("join token already used")
                                .asRuntimeException());
                        return;
                    }
                    joinSecretUsed = true;
                }
                X509Certificate certificate = authority.issueHostCertificate(
                        request.getCertificateRequest().toByteArray(), hostId, Instant.now(), Duration.ofDays(30));
                response.onNext(EnrollResponse.newBuilder()
                        .setHostId(hostId.toString())
                        .setCertificate(ByteString.copyFrom(Certificates.der(certificate)))
                        .setCaCertificate(ByteString.copyFrom(Certificates.der(authority.certificate())))
                        .build());
                response.onCompleted();
            }
        };
    }

    /** The certificates signed for renewals, in order. */
    synchronized List<X509Certificate> renewed() {
        return List.copyOf(renewed);
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ServerMessage> responses) {
        ServerStream stream = new ServerStream(responses, CERTIFICATE_HOST.get());
        synchronized (this) {
            streams.add(stream);
        }
        return stream;
    }

    /** The desired set sent after every registration from now on. */
    synchronized void desired(List<DesiredVm> vms) {
        desired = List.copyOf(vms);
    }

    synchronized void sendDelta(List<DesiredVm> upserts, List<UUID> removals) {
        ServerMessage delta = ServerMessage.newBuilder()
                .setDesiredDelta(ProtoMapping.toDesiredDelta(upserts, removals))
                .build();
        streams.forEach(stream -> stream.send(delta));
    }

    synchronized void sendConsoleRequest(ConsoleRequest request) {
        ServerMessage message =
                ServerMessage.newBuilder().setConsoleRequest(request).build();
        streams.forEach(stream -> stream.send(message));
    }

    synchronized List<ConsoleChunk> consoleChunks() {
        return List.copyOf(consoleChunks);
    }

    /** Fails every open stream, as a server restart would. */
    synchronized void dropStreams() {
        List<ServerStream> open = List.copyOf(streams);
        streams.clear();
        open.forEach(stream -> stream.fail(Status.UNAVAILABLE.withDescription("server restarting")));
    }

    synchronized List<Register> registrations() {
        return List.copyOf(registrations);
    }

    synchronized List<VmReport> reports() {
        return List.copyOf(reports);
    }

    synchronized List<HostUsage> heartbeats() {
        return List.copyOf(heartbeats);
    }

    /** The VM samples of each heartbeat, in order. */
    synchronized List<List<VmStats>> heartbeatSamples() {
        return List.copyOf(heartbeatSamples);
    }

    synchronized Optional<ObservedVm> vm(UUID vmId) {
        return Optional.ofNullable(view.get(vmId));
    }

    synchronized ObservedPower power(UUID vmId) {
        ObservedVm vm = view.get(vmId);
        return vm == null ? ObservedPower.ABSENT : vm.power();
    }

    private synchronized void registered(ServerStream stream, Register register) {
        registrations.add(register);
        if (!hostId.toString().equals(stream.certificateHost)
                || !register.getHostId().equals(stream.certificateHost)) {
            stream.send(ServerMessage.newBuilder()
                    .setRefusal(Refusal.newBuilder().setCode("HOST_MISMATCH").setMessage("not the expected host"))
                    .build());
            stream.complete();
            streams.remove(stream);
            return;
        }
        stream.send(ServerMessage.newBuilder()
                .setRegistered(Registered.newBuilder()
                        .setHostId("host-" + registrations.size())
                        .setHeartbeatIntervalMillis(heartbeatIntervalMillis)
                        .setProtocolVersion(ProtoMapping.PROTOCOL_VERSION))
                .build());
        stream.send(ServerMessage.newBuilder()
                .setDesiredSet(ProtoMapping.toDesiredSet(desired))
                .build());
    }

    private synchronized void reported(VmReport report) {
        reports.add(report);
        if (report.getFull()) {
            view.clear();
        }
        ProtoMapping.fromProto(report).forEach(vm -> view.put(vm.vmId(), vm));
    }

    private synchronized void renew(ServerStream stream, byte[] request) {
        X509Certificate certificate =
                authority.issueHostCertificate(request, hostId, Instant.now(), Duration.ofDays(30));
        renewed.add(certificate);
        stream.send(ServerMessage.newBuilder()
                .setCertificateIssued(CertificateIssued.newBuilder()
                        .setCertificate(ByteString.copyFrom(Certificates.der(certificate)))
                        .setCaCertificate(ByteString.copyFrom(Certificates.der(authority.certificate()))))
                .build());
    }

    private synchronized void consoleChunk(ConsoleChunk chunk) {
        consoleChunks.add(chunk);
    }

    private synchronized void heartbeat(HostUsage usage, List<VmStats> samples) {
        heartbeats.add(usage);
        heartbeatSamples.add(List.copyOf(samples));
    }

    private synchronized void ended(ServerStream stream) {
        streams.remove(stream);
    }

    /** One agent's stream; sends are serialised by the service's lock. */
    private final class ServerStream implements StreamObserver<AgentMessage> {
        private final StreamObserver<ServerMessage> responses;
        private final @Nullable String certificateHost;
        private boolean closed;
        private volatile boolean heartbeatAcks;

        ServerStream(StreamObserver<ServerMessage> responses, @Nullable String certificateHost) {
            this.responses = responses;
            this.certificateHost = certificateHost;
        }

        @Override
        public void onNext(AgentMessage message) {
            switch (message.getBodyCase()) {
                case REGISTER -> {
                    heartbeatAcks = message.getRegister().getHeartbeatAcks();
                    registered(this, message.getRegister());
                }
                case VM_REPORT -> reported(message.getVmReport());
                case HEARTBEAT -> {
                    heartbeat(
                            ProtoMapping.fromProto(message.getHeartbeat().getUsage()),
                            message.getHeartbeat().getVmMetricsList().stream()
                                    .map(ProtoMapping::fromProto)
                                    .toList());
                    if (heartbeatAcks) {
                        send(ServerMessage.newBuilder()
                                .setHeartbeatAck(HeartbeatAck.newBuilder()
                                        .setSequence(message.getHeartbeat().getSequence()))
                                .build());
                    }
                }
                case CONSOLE_CHUNK -> consoleChunk(message.getConsoleChunk());
                case CERTIFICATE_RENEWAL ->
                    renew(
                            this,
                            message.getCertificateRenewal()
                                    .getCertificateRequest()
                                    .toByteArray());
                case BODY_NOT_SET -> {}
            }
        }

        @Override
        public void onError(Throwable error) {
            synchronized (TestAgentService.this) {
                closed = true;
                ended(this);
            }
        }

        @Override
        public void onCompleted() {
            ended(this);
            complete();
        }

        void send(ServerMessage message) {
            synchronized (TestAgentService.this) {
                if (!closed) {
                    responses.onNext(message);
                }
            }
        }

        void complete() {
            synchronized (TestAgentService.this) {
                if (!closed) {
                    closed = true;
                    responses.onCompleted();
                }
            }
        }

        void fail(Status status) {
            synchronized (TestAgentService.this) {
                if (!closed) {
                    closed = true;
                    responses.onError(status.asRuntimeException());
                }
            }
        }
    }
}
