package io.vireo.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.vireo.agent.AgentConfig;
import io.vireo.agent.AgentIdentity;
import io.vireo.agent.AgentImageFetcher;
import io.vireo.agent.wire.ProtoMapping;
import io.vireo.common.IdGenerator;
import io.vireo.controller.AgentSessions;
import io.vireo.controller.AuditLog;
import io.vireo.controller.ControllerSettings;
import io.vireo.controller.EventLog;
import io.vireo.controller.HeartbeatBatcher;
import io.vireo.controller.HostDeletions;
import io.vireo.controller.HostEnrollment;
import io.vireo.controller.HostEnrollmentSettings;
import io.vireo.controller.ImageService;
import io.vireo.controller.PlacementController;
import io.vireo.controller.RequestContext;
import io.vireo.controller.port.AgentGateway;
import io.vireo.controller.port.ConsoleLog;
import io.vireo.controller.port.EventFilter;
import io.vireo.controller.port.ImageInspector;
import io.vireo.controller.port.Repositories;
import io.vireo.images.LocalImageFiles;
import io.vireo.model.DesiredVm;
import io.vireo.model.Event;
import io.vireo.model.HostState;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
import io.vireo.model.JoinToken;
import io.vireo.model.Project;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.CertificateRequests;
import io.vireo.pki.Certificates;
import io.vireo.pki.KeyPairs;
import io.vireo.pki.SwappableKeyManager;
import io.vireo.pki.TrustManagers;
import io.vireo.proto.agent.v1.AgentImagesGrpc;
import io.vireo.proto.agent.v1.AgentMessage;
import io.vireo.proto.agent.v1.AgentServiceGrpc;
import io.vireo.proto.agent.v1.CertificateRenewal;
import io.vireo.proto.agent.v1.Heartbeat;
import io.vireo.proto.agent.v1.HostUsage;
import io.vireo.proto.agent.v1.ImageDownloadRequest;
import io.vireo.proto.agent.v1.Register;
import io.vireo.proto.agent.v1.ServerMessage;
import io.vireo.scheduler.framework.SchedulerSettings;
import io.vireo.scheduler.plugins.FrameworkScheduler;
import io.vireo.server.tls.AgentTls;
import io.vireo.server.tls.HostCertificateIssuer;
import io.vireo.store.memory.InMemoryAgentCredentials;
import io.vireo.store.memory.InMemoryStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's agent endpoint with real TLS on loopback: enrollment with join tokens, and the mutual-TLS stream that
 * admits only a recorded certificate and only messages about its own host.
 */
class AgentMutualTlsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Three chunks and a bit. */
    private static final int IMAGE_BYTES = 3 * 1024 * 1024 + 17;

    private final Clock clock = Clock.systemUTC();
    private final InMemoryStore memory = new InMemoryStore();
    private final Repositories store = memory.repositories();
    private final InMemoryAgentCredentials credentials = new InMemoryAgentCredentials();
    private final CertificateAuthority authority =
            CertificateAuthority.create(clock.instant(), Duration.ofDays(365), RANDOM);
    private HostEnrollment enrollment;
    private ImageService images;
    private AgentStreamService agents;
    private HeartbeatBatcher heartbeats;
    private Server server;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @TempDir
    Path directory;

    @BeforeEach
    void start() throws Exception {
        ControllerSettings settings = ControllerSettings.defaults();
        EventLog events = new EventLog(store.events(), clock);
        AuditLog audit = new AuditLog(store.audit(), clock);
        IdGenerator ids = IdGenerator.secure();
        LateGateway gateway = new LateGateway();
        PlacementController placement = new PlacementController(
                store,
                FrameworkScheduler.create(SchedulerSettings.DEFAULT, 1),
                gateway,
                events,
                audit,
                clock,
                settings,
                ids);
        AgentSessions sessions = new AgentSessions(store, gateway, placement, events, audit, clock, settings);
        enrollment = new HostEnrollment(
                credentials,
                store.hosts(),
                events,
                audit,
                ids,
                clock,
                RANDOM,
                HostEnrollmentSettings.DEFAULTS,
                authority.fingerprint().hex());
        HostCertificateIssuer issuer = new HostCertificateIssuer(authority, enrollment, clock);
        heartbeats = new HeartbeatBatcher(sessions);
        agents = new AgentStreamService(sessions, heartbeats, settings.heartbeatInterval(), enrollment, issuer);
        gateway.agents = agents;
        AgentPeers peers = new AgentPeers(enrollment);
        Path imageFiles = Files.createDirectories(directory.resolve("image-files"));
        images = new ImageService(
                store,
                new LocalImageFiles(imageFiles),
                (temporaryId, format) -> new ImageInspector.Accepted(IMAGE_BYTES),
                ids,
                clock,
                64L << 20);
        server = NettyServerBuilder.forAddress(
                        new InetSocketAddress("127.0.0.1", 0),
                        AgentTls.serverCredentials(authority, List.of(), clock, RANDOM))
                .addService(ServerInterceptors.intercept(agents, peers.requireCertificate()))
                .addService(ServerInterceptors.intercept(
                        new AgentEnrollmentService(enrollment, issuer), AgentPeers.addressOnly()))
                .addService(ServerInterceptors.intercept(new AgentImageService(images), peers.requireCertificate()))
                .build()
                .start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channels.forEach(ManagedChannel::shutdownNow);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void anAgentWithoutAClientCertificateIsRefused() throws Exception {
        ChannelCredentials anonymous = TlsChannelCredentials.newBuilder()
                .trustManager(TrustManagers.trusting(authority.certificate()))
                .build();
        Stream stream = connect(anonymous);
        stream.send(register(UUID.randomUUID(), "anonymous"));

        Throwable error = stream.error();
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(Status.fromThrowable(error).getDescription()).contains("client certificate is required");
        assertThat(store.hosts().list()).isEmpty();
    }

    @Test
    void anEnrolledAgentRegistersAsTheHostOfItsCertificate() throws Exception {
        AgentIdentity identity = enroll("node-a");

        Stream stream = connect(identity.channelCredentials());
        stream.send(register(identity.hostId(), "node-a"));

        ServerMessage registered = stream.next();
        assertThat(registered.hasRegistered()).isTrue();
        assertThat(registered.getRegistered().getHostId())
                .isEqualTo(identity.hostId().toString());
        assertThat(store.hosts().find(identity.hostId()))
                .hasValueSatisfying(host -> assertThat(host.name()).isEqualTo("node-a"));
        assertThat(AgentIdentity.load(identityDir("node-a")))
                .hasValueSatisfying(loaded -> assertThat(loaded.hostId()).isEqualTo(identity.hostId()));
    }

    @Test
    void aHeartbeatIsAcknowledgedOnceRecordedIfTheAgentAskedForIt() throws Exception {
        AgentIdentity identity = enroll("node-a");
        Stream stream = connect(identity.channelCredentials());
        AgentMessage register = register(identity.hostId(), "node-a");
        stream.send(register.toBuilder()
                .setRegister(register.getRegister().toBuilder().setHeartbeatAcks(true))
                .build());
        stream.nextMatching(ServerMessage::hasRegistered);

        stream.send(AgentMessage.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder()
                        .setSequence(7)
                        .setUsage(HostUsage.newBuilder().setRunningVms(3)))
                .build());
        await().until(() -> heartbeats.pending() == 1);
        assertThat(store.hosts().find(identity.hostId()).orElseThrow().usage().runningVms())
                .as("offered, not written yet")
                .isZero();
        heartbeats.flush();

        ServerMessage ack = stream.nextMatching(ServerMessage::hasHeartbeatAck);
        assertThat(ack.getHeartbeatAck().getSequence()).isEqualTo(7);
        assertThat(store.hosts().find(identity.hostId()).orElseThrow().usage().runningVms())
                .as("recorded before it is acknowledged")
                .isEqualTo(3);
    }

    @Test
    void hostACertificateSpeakingForHostBIsRefusedAndRecorded() throws Exception {
        AgentIdentity a = enroll("node-a");
        AgentIdentity b = enroll("node-b");
        Stream bStream = connect(b.channelCredentials());
        bStream.send(register(b.hostId(), "node-b"));
        assertThat(bStream.next().hasRegistered()).isTrue();

        Stream byId = connect(a.channelCredentials());
        byId.send(register(b.hostId(), "node-b"));
        assertRefused(byId, "HOST_MISMATCH");

        Stream byName = connect(a.channelCredentials());
        byName.send(register(a.hostId(), "node-b"));
        assertRefused(byName, "HOST_MISMATCH");

        assertThat(store.hosts().find(a.hostId())).isEmpty();
        assertThat(store.hosts().findByName("node-b"))
                .hasValueSatisfying(host -> assertThat(host.id()).isEqualTo(b.hostId()));
        List<Event> refusals = store.events().list(new EventFilter("host", b.hostId(), null, 0, 100)).stream()
                .filter(event -> event.type().equals("AgentRegisterRefused"))
                .toList();
        assertThat(refusals).hasSize(2).allSatisfy(event -> {
            assertThat(event.objectName()).isEqualTo("node-b");
            assertThat(event.message()).contains("actor host:" + a.hostId()).contains("from 127.0.0.1");
        });
        assertThat(connectedAs(b)).as("host B's own stream is untouched").isTrue();
    }

    @Test
    void aJoinTokenUsedTwiceIsRefused() {
        String token = enrollment.createJoinToken(null, null).text();
        AgentIdentity first =
                AgentIdentity.enroll("127.0.0.1", port(), "node-a", token, directory.resolve("first"), TIMEOUT, RANDOM);
        assertThat(first.hostId()).isNotNull();

        assertThatThrownBy(() -> AgentIdentity.enroll(
                        "127.0.0.1", port(), "node-b", token, directory.resolve("second"), TIMEOUT, RANDOM))
                .isInstanceOfSatisfying(AgentIdentity.EnrollmentRefusedException.class, refused -> {
                    assertThat(refused.code()).isEqualTo("PERMISSION_DENIED");
                    assertThat(refused.getMessage()).contains("already used");
                });
        assertThat(AgentIdentity.load(directory.resolve("second"))).isEmpty();
        String tokenId = credentials
                .findJoinToken(HostEnrollment.sha256(
                        JoinToken.parse(token).orElseThrow().secret()))
                .orElseThrow()
                .id()
                .toString();
        assertThat(store.events().list(new EventFilter("join-token", UUID.fromString(tokenId), null, 0, 10)))
                .singleElement()
                .satisfies(event -> assertThat(event.type()).isEqualTo("AgentEnrollRefused"));
    }

    @Test
    void anAgentPinningAnotherAuthorityDoesNotTalkToThisServerAndKeepsItsToken() {
        CertificateAuthority other = CertificateAuthority.create(clock.instant(), Duration.ofDays(1), RANDOM);
        String genuine = enrollment.createJoinToken(null, null).text();
        String forged = JoinToken.text(
                other.fingerprint().hex(),
                JoinToken.parse(genuine).orElseThrow().secret());

        assertThatThrownBy(() -> AgentIdentity.enroll(
                        "127.0.0.1", port(), "node-a", forged, directory.resolve("a"), TIMEOUT, RANDOM))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(AgentIdentity.enroll("127.0.0.1", port(), "node-a", genuine, directory.resolve("a"), TIMEOUT, RANDOM)
                        .hostId())
                .isNotNull();
    }

    @Test
    void aCertificateOfAnotherAuthorityFailsTheHandshake() throws Exception {
        CertificateAuthority other = CertificateAuthority.create(clock.instant(), Duration.ofDays(1), RANDOM);
        KeyPair keys = KeyPairs.generate(RANDOM);
        X509Certificate forged = other.issueHostCertificate(
                CertificateRequests.create(keys, "x"), UUID.randomUUID(), clock.instant(), Duration.ofDays(1));
        ChannelCredentials credentials = TlsChannelCredentials.newBuilder()
                .keyManager(new SwappableKeyManager(
                        new SwappableKeyManager.Identity(keys.getPrivate(), List.of(forged, other.certificate()))))
                .trustManager(TrustManagers.trusting(authority.certificate()))
                .build();
        Stream stream = connect(credentials);
        stream.send(register(Certificates.hostId(forged).orElseThrow(), "forged"));

        assertThat(Status.fromThrowable(stream.error()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(store.hosts().list()).isEmpty();
    }

    @Test
    void aRevokedHostIsDisconnectedAndRefusedFromThenOn() throws Exception {
        AgentIdentity identity = enroll("node-a");
        Stream stream = connect(identity.channelCredentials());
        stream.send(register(identity.hostId(), "node-a"));
        assertThat(stream.next().hasRegistered()).isTrue();

        assertThat(agents.revoke(identity.hostId())).isEqualTo(1);

        assertRefused(stream, "REVOKED");
        Stream again = connect(identity.channelCredentials());
        again.send(register(identity.hostId(), "node-a"));
        Status status = Status.fromThrowable(again.error());
        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).contains("revoked");
    }

    @Test
    void aDeletedHostsAgentIsRefusedAtOnceAndItsNameEnrollsAgainAsANewHost() throws Exception {
        List<UUID> signalled = new CopyOnWriteArrayList<>();
        agents.tellOtherReplicasWith(signalled::add);
        AgentIdentity identity = enroll("node-a");
        Stream stream = connect(identity.channelCredentials());
        stream.send(register(identity.hostId(), "node-a"));
        assertThat(stream.next().hasRegistered()).isTrue();
        store.hosts().updateState(identity.hostId(), HostState.MAINTENANCE);
        HostDeletions deletions = new HostDeletions(store, agents, new EventLog(store.events(), clock), clock);

        deletions.delete(identity.hostId(), new RequestContext(Project.ADMIN_ID, "retire-node-a"));

        assertRefused(stream, "REVOKED");
        assertThat(connectedAs(identity)).isFalse();
        assertThat(signalled).as("every other replica ends its stream too").containsExactly(identity.hostId());
        Stream again = connect(identity.channelCredentials());
        again.send(register(identity.hostId(), "node-a"));
        Status status = Status.fromThrowable(again.error());
        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).contains("revoked");
        assertThat(store.hosts().find(identity.hostId())).isEmpty();

        AgentIdentity replacement = enroll("node-a");
        assertThat(replacement.hostId()).as("a new host").isNotEqualTo(identity.hostId());
        Stream fresh = connect(replacement.channelCredentials());
        fresh.send(register(replacement.hostId(), "node-a"));
        assertThat(fresh.next().hasRegistered()).isTrue();
        assertThat(store.hosts().findByName("node-a"))
                .hasValueSatisfying(host -> assertThat(host.id()).isEqualTo(replacement.hostId()));
    }

    @Test
    void aHostRevokedByAnotherReplicaLosesItsStreamHereAtTheSignal() throws Exception {
        List<UUID> signalled = new CopyOnWriteArrayList<>();
        agents.tellOtherReplicasWith(signalled::add);
        AgentIdentity identity = enroll("node-a");
        Stream stream = connect(identity.channelCredentials());
        stream.send(register(identity.hostId(), "node-a"));
        assertThat(stream.next().hasRegistered()).isTrue();

        agents.resync(identity.hostId());
        assertThat(stream.nextMatching(ServerMessage::hasDesiredSet)).isNotNull();
        assertThat(connectedAs(identity))
                .as("an unrevoked host keeps its stream")
                .isTrue();

        enrollment.revokeHost(identity.hostId()); // what the other replica wrote to the shared store
        agents.resync(identity.hostId()); // what its signal makes this replica do

        assertRefused(stream, "REVOKED");
        assertThat(connectedAs(identity)).isFalse();
        assertThat(signalled).as("only a revocation here tells the others").isEmpty();
        agents.revoke(identity.hostId());
        assertThat(signalled).containsExactly(identity.hostId());
    }

    @Test
    void anAgentRenewsItsCertificateOverItsStream() throws Exception {
        AgentIdentity identity = enroll("node-a");
        Stream stream = connect(identity.channelCredentials());
        stream.send(register(identity.hostId(), "node-a"));
        assertThat(stream.next().hasRegistered()).isTrue();

        AgentIdentity.Renewal renewal = identity.newRequest(RANDOM);
        stream.send(AgentMessage.newBuilder()
                .setCertificateRenewal(
                        CertificateRenewal.newBuilder().setCertificateRequest(ByteString.copyFrom(renewal.request())))
                .build());
        ServerMessage issued = stream.nextMatching(ServerMessage::hasCertificateIssued);
        X509Certificate renewed = Certificates.parse(
                issued.getCertificateIssued().getCertificate().toByteArray());
        identity.renewed(renewal, renewed);

        assertThat(Certificates.hostId(renewed)).contains(identity.hostId());
        assertThat(identity.certificate()).isEqualTo(renewed);
        Stream next =
                connect(AgentIdentity.load(identityDir("node-a")).orElseThrow().channelCredentials());
        next.send(register(identity.hostId(), "node-a"));
        assertThat(next.next().hasRegistered()).isTrue();
    }

    @Test
    void anEnrolledHostDownloadsAnUploadedImageOverItsConnection() throws Exception {
        byte[] content = new byte[IMAGE_BYTES];
        RANDOM.nextBytes(content);
        RequestContext admin = new RequestContext(Project.ADMIN_ID, null);
        Image image = images.create(admin, "disk", ImageFormat.RAW, null);
        images.upload(admin, "disk", new ByteArrayInputStream(content), content.length);
        enroll("node-a");
        AgentImageFetcher fetcher = new AgentImageFetcher(agentConfig("node-a"));

        try (InputStream stream = fetcher.open(image.id())) {
            assertThat(stream.readAllBytes()).isEqualTo(content);
        }
        assertThatThrownBy(() -> {
                    try (InputStream stream = fetcher.open(UUID.randomUUID())) {
                        stream.readAllBytes();
                    }
                })
                .isInstanceOf(IOException.class)
                .hasMessageContaining("NOT_FOUND");
        assertThatThrownBy(() -> new AgentImageFetcher(agentConfig("not-enrolled")).open(image.id()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not enrolled");
    }

    @Test
    void noImageIsSentWithoutAClientCertificate() {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                        "127.0.0.1",
                        port(),
                        TlsChannelCredentials.newBuilder()
                                .trustManager(TrustManagers.trusting(authority.certificate()))
                                .build())
                .overrideAuthority(CertificateAuthority.SERVER_NAME)
                .build();
        channels.add(channel);

        assertThatThrownBy(() -> AgentImagesGrpc.newBlockingStub(channel)
                        .download(ImageDownloadRequest.newBuilder()
                                .setImageId(UUID.randomUUID().toString())
                                .build())
                        .hasNext())
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    private AgentIdentity enroll(String name) {
        String token = enrollment.createJoinToken(null, null).text();
        return AgentIdentity.enroll("127.0.0.1", port(), name, token, identityDir(name), TIMEOUT, RANDOM);
    }

    /** Where the agent of {@code name} keeps its identity: {@code STATE_DIR/identity}, STATE_DIR being the name's. */
    private Path identityDir(String name) {
        return agentConfig(name).identityDir();
    }

    private AgentConfig agentConfig(String name) {
        return AgentConfig.builder("127.0.0.1:" + port(), name, directory.resolve(name), null)
                .build();
    }

    private int port() {
        return server.getPort();
    }

    private boolean connectedAs(AgentIdentity identity) {
        return agents.connected(identity.hostId());
    }

    private static AgentMessage register(UUID hostId, String name) {
        Register register = Register.newBuilder()
                .setProtocolVersion(ProtoMapping.PROTOCOL_VERSION)
                .setHostName(name)
                .setHostId(hostId.toString())
                .setCpus(4)
                .setMemoryMib(4096)
                .setDiskGib(40)
                .setDriver("fake")
                .build();
        return AgentMessage.newBuilder().setRegister(register).build();
    }

    private static void assertRefused(Stream stream, String code) throws InterruptedException {
        ServerMessage refusal = stream.nextMatching(ServerMessage::hasRefusal);
        assertThat(refusal.getRefusal().getCode()).isEqualTo(code);
    }

    private Stream connect(ChannelCredentials credentials) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port(), credentials)
                .overrideAuthority(CertificateAuthority.SERVER_NAME)
                .build();
        channels.add(channel);
        Stream stream = new Stream();
        stream.requests = AgentServiceGrpc.newStub(channel).connect(stream);
        return stream;
    }

    /** The controller's gateway, handed to the stream service once it exists. */
    private static final class LateGateway implements AgentGateway {
        private @Nullable AgentStreamService agents;

        private AgentStreamService agents() {
            AgentStreamService service = agents;
            if (service == null) {
                throw new IllegalStateException("not wired yet");
            }
            return service;
        }

        @Override
        public void sendDesiredSet(UUID hostId, List<DesiredVm> vms) {
            agents().sendDesiredSet(hostId, vms);
        }

        @Override
        public void sendDesiredDelta(UUID hostId, List<DesiredVm> upserts, List<UUID> removals) {
            agents().sendDesiredDelta(hostId, upserts, removals);
        }

        @Override
        public boolean connected(UUID hostId) {
            return agents().connected(hostId);
        }

        @Override
        public CompletableFuture<ConsoleLog> readConsole(UUID hostId, UUID vmId, long offset, int maxBytes) {
            return agents().readConsole(hostId, vmId, offset, maxBytes);
        }
    }

    /** One agent stream: what the server sends, queued; its end, kept. */
    private static final class Stream implements StreamObserver<ServerMessage> {
        private final BlockingQueue<ServerMessage> received = new LinkedBlockingQueue<>();
        private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        private @Nullable StreamObserver<AgentMessage> requests;

        void send(AgentMessage message) {
            StreamObserver<AgentMessage> out = requests;
            if (out != null) {
                out.onNext(message);
            }
        }

        ServerMessage next() throws InterruptedException {
            ServerMessage message = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("a message within " + TIMEOUT).isNotNull();
            return message;
        }

        ServerMessage nextMatching(Predicate<ServerMessage> wanted) throws InterruptedException {
            while (true) {
                ServerMessage message = next();
                if (wanted.test(message)) {
                    return message;
                }
            }
        }

        Throwable error() throws InterruptedException {
            Throwable error = errors.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(error).as("the stream fails within " + TIMEOUT).isNotNull();
            return error;
        }

        @Override
        public void onNext(ServerMessage message) {
            received.add(message);
        }

        @Override
        public void onError(Throwable t) {
            errors.add(t);
        }

        @Override
        public void onCompleted() {}
    }
}
