package io.vireo.agent;

import static io.vireo.agent.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.testing.RecordingDriver;
import io.vireo.agent.testing.Vms;
import io.vireo.agent.testing.Waits;
import io.vireo.common.SecretFiles;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.JoinToken;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import io.vireo.model.Resources;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.CertificateRequests;
import io.vireo.pki.Certificates;
import io.vireo.pki.KeyPairs;
import io.vireo.pki.Pem;
import io.vireo.pki.TrustManagers;
import io.vireo.proto.agent.v1.ConsoleChunk;
import io.vireo.proto.agent.v1.ConsoleRequest;
import io.vireo.proto.agent.v1.Register;
import io.vireo.proto.agent.v1.VmReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent against a real gRPC server on loopback over mutual TLS, speaking the agent protocol end to end: the
 * server's certificate and the agent's come from one test CA.
 */
class AgentEndToEndTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final CertificateAuthority AUTHORITY =
            CertificateAuthority.create(Instant.now(), Duration.ofDays(30), RANDOM);
    private static final UUID HOST = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID OTHER_HOST = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final UUID WEB = Vms.id(1);
    private static final UUID DB = Vms.id(2);

    private final TestAgentService service = new TestAgentService(HOST, AUTHORITY, 100);
    private final AtomicReference<RecordingDriver> driver = new AtomicReference<>();
    private Server server;
    private Path directory;

    @BeforeEach
    void startServer(@TempDir Path tempDir) throws IOException {
        directory = tempDir;
        server = startServer(0, TestAgentService.certificateInterceptor());
    }

    private Server startServer(int port, ServerInterceptor interceptor) throws IOException {
        return Grpc.newServerBuilderForPort(port, serverCredentials())
                .addService(ServerInterceptors.intercept(service, interceptor))
                .addService(service.enrollment())
                .build()
                .start();
    }

    /** A server certificate of the test CA for "vireo-server"; client certificates optional, of the test CA. */
    private static ServerCredentials serverCredentials() {
        try {
            KeyPair keys = KeyPairs.generate(RANDOM);
            X509Certificate certificate =
                    AUTHORITY.issueServerCertificate(keys.getPublic(), List.of(), Instant.now(), Duration.ofDays(1));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                    "server", keys.getPrivate(), new char[0], new Certificate[] {certificate, AUTHORITY.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, new char[0]);
            return TlsServerCredentials.newBuilder()
                    .keyManager(factory.getKeyManagers())
                    .trustManager(TrustManagers.trusting(AUTHORITY.certificate()))
                    .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
                    .build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes an identity for {@code host} into the agent's state, with a certificate valid from..until. */
    private static void writeIdentity(AgentConfig config, UUID host, Instant from, Duration validity)
            throws IOException {
        KeyPair keys = KeyPairs.generate(RANDOM);
        X509Certificate certificate =
                AUTHORITY.issueHostCertificate(CertificateRequests.create(keys, "x"), host, from, validity);
        Path identity = config.identityDir();
        SecretFiles.privateDirectory(config.stateDir());
        SecretFiles.privateDirectory(identity);
        SecretFiles.writePrivate(identity.resolve(AgentIdentity.KEY_FILE), Pem.privateKey(keys.getPrivate()));
        SecretFiles.writePrivate(identity.resolve(AgentIdentity.CERTIFICATE_FILE), Pem.certificate(certificate));
        SecretFiles.writePrivate(
                identity.resolve(AgentIdentity.AUTHORITY_FILE), Pem.certificate(AUTHORITY.certificate()));
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** An agent holding a certificate for {@code host}. */
    private AgentConfig config(UUID host) throws IOException {
        AgentConfig config = unenrolled();
        writeIdentity(config, host, Instant.now(), Duration.ofDays(30));
        return config;
    }

    /** An agent with no certificate yet. */
    private AgentConfig unenrolled() {
        return AgentConfig.builder("127.0.0.1:" + server.getPort(), "node-1", directory.resolve("state"), null)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .rescanInterval(Duration.ofMillis(200))
                .transitionPollInterval(Duration.ofMillis(10))
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .stopGracePeriod(Duration.ZERO)
                .shutdownTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** An agent whose fake driver is wrapped to count driver calls. */
    private Agent agent(AgentConfig config) {
        DriverFactory recording = (agentConfig, clock, random) -> {
            RecordingDriver wrapped =
                    new RecordingDriver(DriverFactory.builtIn().create(agentConfig, clock, random));
            driver.set(wrapped);
            return wrapped;
        };
        return new Agent(config, recording, Clock.systemUTC(), new SplittableRandom(7));
    }

    @Test
    void registersConvergesOnTheDesiredSetAndResynchronisesAfterAStreamRestart() throws IOException {
        service.desired(List.of(Vms.running(WEB), Vms.running(DB)));
        try (Agent agent = agent(config(HOST))) {
            agent.start();

            await().until(() -> service.registrations().size() == 1);
            Register register = service.registrations().getFirst();
            assertThat(register.getProtocolVersion()).isEqualTo(1);
            assertThat(register.getHostName()).isEqualTo("node-1");
            assertThat(register.getDriver()).isEqualTo(FakeDriver.NAME);
            assertThat(register.getCpus()).isEqualTo(128);
            assertThat(register.getCapabilitiesList()).contains(FakeDriver.CAPABILITY);
            await().until(() ->
                    service.power(WEB) == ObservedPower.RUNNING && service.power(DB) == ObservedPower.RUNNING);
            assertThat(service.reports().getFirst().getFull()).isTrue();
            assertThat(agent.hostId()).contains("host-1");
            await().until(() -> !service.heartbeats().isEmpty()
                    && service.heartbeats().getLast().runningVms() == 2);
            await().untilAsserted(() -> assertThat(service.heartbeatSamples().getLast())
                    .as("each heartbeat carries a sample of every running VM, the CPU share from the previous one")
                    .hasSize(2)
                    .allSatisfy(sample -> {
                        assertThat(sample.synthetic()).isTrue();
                        assertThat(sample.cpu().percent()).isNotNull();
                    }));

            DesiredVm stoppedWeb = Vms.desired(WEB, DesiredState.STOPPED, 2, 1, 0);
            service.sendDelta(List.of(stoppedWeb), List.of());
            await().until(() -> service.power(WEB) == ObservedPower.STOPPED);
            assertThat(service.vm(WEB).map(ObservedVm::generation)).contains(2L);
            ObservedVm dbBefore = service.vm(DB).orElseThrow();

            service.desired(List.of(stoppedWeb, Vms.running(DB)));
            int reportsBefore = service.reports().size();
            service.dropStreams();

            await().until(() -> service.registrations().size() == 2 && agent.connected());
            await().until(() -> service.reports().stream().skip(reportsBefore).anyMatch(VmReport::getFull));
            await().until(() ->
                    service.power(WEB) == ObservedPower.STOPPED && service.power(DB) == ObservedPower.RUNNING);
            assertThat(service.vm(DB)).contains(dbBefore);
            assertThat(agent.hostId()).contains("host-2");
            RecordingDriver calls = driver.get();
            assertThat(calls.calls("create")).isEqualTo(2);
            assertThat(calls.calls("start")).isEqualTo(2);
            assertThat(calls.calls("stop")).isEqualTo(1);
            assertThat(calls.calls("delete")).isZero();
        }
    }

    @Test
    void answersAConsoleRequestWithTheFakeDriversLog() throws IOException {
        service.desired(List.of(Vms.running(WEB)));
        try (Agent agent = agent(config(HOST))) {
            agent.start();
            await().until(() -> service.power(WEB) == ObservedPower.RUNNING);

            service.sendConsoleRequest(consoleRequest("r-1", WEB.toString(), -65_536));
            service.sendConsoleRequest(consoleRequest("r-2", DB.toString(), 0));
            await().until(() -> service.consoleChunks().size() == 2);

            ConsoleChunk web = chunk("r-1");
            String log = web.getData().toStringUtf8();
            assertThat(web.getError()).isEmpty();
            assertThat(web.getVmId()).isEqualTo(WEB.toString());
            assertThat(log).contains("fake console: booted at ");
            assertThat(web.getOffset()).isZero();
            assertThat(web.getNextOffset())
                    .isEqualTo(web.getSize())
                    .isEqualTo(web.getData().size());
            ConsoleChunk unknown = chunk("r-2");
            assertThat(unknown.getError()).contains(DB.toString()).contains("does not exist");
            assertThat(unknown.getData().isEmpty()).isTrue();
        }
    }

    private static ConsoleRequest consoleRequest(String requestId, String vmId, long offset) {
        return ConsoleRequest.newBuilder()
                .setRequestId(requestId)
                .setVmId(vmId)
                .setOffset(offset)
                .setMaxBytes(65_536)
                .build();
    }

    private ConsoleChunk chunk(String requestId) {
        return service.consoleChunks().stream()
                .filter(chunk -> chunk.getRequestId().equals(requestId))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aRestartedAgentAdoptsItsRunningVms() throws IOException {
        service.desired(List.of(Vms.running(WEB)));
        AgentConfig config = config(HOST);
        ObservedVm before;
        try (Agent agent = agent(config)) {
            agent.start();
            await().until(() -> service.power(WEB) == ObservedPower.RUNNING);
            before = service.vm(WEB).orElseThrow();
        }

        int reportsBefore = service.reports().size();
        try (Agent agent = agent(config)) {
            agent.start();

            await().until(() -> service.registrations().size() == 2);
            await().until(() -> service.reports().stream().skip(reportsBefore).anyMatch(VmReport::getFull));
            await().untilAsserted(() -> assertThat(service.vm(WEB)).contains(before));
            assertThat(driver.get().calls("create")).isZero();
            assertThat(driver.get().calls("start")).isZero();
        }
    }

    @Test
    void reconnectsWhenTheServerComesBackAndKeepsItsVms() throws IOException, InterruptedException {
        service.desired(List.of(Vms.running(WEB)));
        try (Agent agent = agent(config(HOST))) {
            agent.start();
            await().until(() -> service.power(WEB) == ObservedPower.RUNNING);
            ObservedVm before = service.vm(WEB).orElseThrow();
            int port = server.getPort();

            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            await().until(() -> !agent.connected());
            server = startServer(port, TestAgentService.certificateInterceptor());

            await().until(() -> service.registrations().size() == 2 && agent.connected());
            await().untilAsserted(() -> assertThat(service.vm(WEB)).contains(before));
            assertThat(driver.get().calls("create")).isEqualTo(1);
            assertThat(driver.get().calls("start")).isEqualTo(1);
        }
    }

    @Test
    void aCallRejectedAsUnauthenticatedStopsTheAgentForGood() throws IOException, InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server = startServer(0, new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                call.close(Status.UNAUTHENTICATED.withDescription("wrong agent credential"), new Metadata());
                return new ServerCall.Listener<>() {};
            }
        });
        try (Agent agent = agent(config(HOST))) {
            agent.start();

            AgentRefusal refusal = agent.refusal().join();

            assertThat(refusal).isEqualTo(new AgentRefusal("UNAUTHENTICATED", "wrong agent credential"));
        }
    }

    @Test
    void aRefusedCredentialStopsTheAgentForGood() throws IOException {
        try (Agent agent = agent(config(OTHER_HOST))) {
            agent.start();

            AgentRefusal refusal = agent.refusal().join();

            assertThat(refusal.code()).isEqualTo("HOST_MISMATCH");
            assertThat(service.registrations()).hasSize(1);
            assertThat(agent.connected()).isFalse();
        }
    }

    @Test
    void runReturnsANonZeroExitCodeWhenRefused() throws IOException {
        AgentConfig config = config(OTHER_HOST);

        int exitCode = assertTimeoutPreemptively(Waits.TIMEOUT, () -> Agent.run(config));

        assertThat(exitCode).isEqualTo(Agent.EXIT_REFUSED);
    }

    @Test
    void asksForHeartbeatAcknowledgementsOnlyWhenItMeasuresThem() throws IOException {
        List<Duration> roundTrips = new CopyOnWriteArrayList<>();
        HeartbeatRoundTrips heard = (host, roundTrip) -> {
            assertThat(host).isEqualTo("node-1");
            roundTrips.add(roundTrip);
        };
        try (Agent agent =
                new Agent(config(HOST), DriverFactory.builtIn(), Clock.systemUTC(), new SplittableRandom(7), heard)) {
            agent.start();

            await().until(() -> roundTrips.size() >= 3);
            assertThat(service.registrations().getFirst().getHeartbeatAcks()).isTrue();
            assertThat(roundTrips).allMatch(roundTrip -> !roundTrip.isNegative());
        }
        try (Agent agent = agent(config(HOST))) {
            agent.start();

            await().until(() -> service.registrations().size() == 2);
            assertThat(service.registrations().getLast().getHeartbeatAcks()).isFalse();
        }
    }

    @Test
    void reportsItsReservationInRegister() throws IOException {
        AgentConfig config =
                config(HOST).toBuilder().reservation(2L, 4096L, null).build();
        try (Agent agent = agent(config)) {
            agent.start();

            await().until(() -> service.registrations().size() == 1);
            Register register = service.registrations().getFirst();
            assertThat(register.getReservedVcpus()).isEqualTo(2);
            assertThat(register.getReservedMemoryMib()).isEqualTo(4096);
            assertThat(register.hasReservedDiskGib())
                    .as("not set, not reported")
                    .isFalse();
        }
    }

    @Test
    void aReservationNotBelowTheHostsTotalStopsTheAgentBeforeItConnects() throws IOException {
        AgentConfig config = config(HOST).toBuilder()
                .fakeCapacity(new Resources(8, 16_384, 100))
                .reservation(null, null, 100L)
                .build();

        assertThatThrownBy(() -> agent(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--reserved-disk-gib must be zero or below the host's 100 GiB of disk, got 100");
        assertThat(Agent.run(config)).isEqualTo(Agent.EXIT_FAILED);
        assertThat(service.registrations()).isEmpty();
    }

    @Test
    void enrollsWithAJoinTokenThenConnectsWithItsCertificateAlone() throws IOException {
        String token = JoinToken.text(AUTHORITY.fingerprint().hex(), TestAgentService.JOIN_SECRET);
        AgentConfig config = unenrolled().toBuilder().joinToken(token).build();
        try (Agent agent = agent(config)) {
            agent.start();

            await().until(() -> service.registrations().size() == 1 && agent.connected());
            assertThat(service.registrations().getFirst().getHostId()).isEqualTo(HOST.toString());
            assertThat(agent.certificateHostId()).contains(HOST);
        }
        assertThat(Files.getPosixFilePermissions(config.identityDir().resolve(AgentIdentity.KEY_FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        // the token is spent: the restarted agent connects with the certificate it keeps
        try (Agent agent = agent(config)) {
            agent.start();

            await().until(() -> service.registrations().size() == 2 && agent.connected());
            assertThat(service.registrations().getLast().getHostId()).isEqualTo(HOST.toString());
        }
    }

    @Test
    void aJoinTokenOfAnotherCloudIsNotSentToThisServer() {
        CertificateAuthority other = CertificateAuthority.create(Instant.now(), Duration.ofDays(1), RANDOM);
        String token = JoinToken.text(other.fingerprint().hex(), TestAgentService.JOIN_SECRET);
        try (Agent agent = agent(unenrolled().toBuilder().joinToken(token).build())) {
            agent.start();

            await().untilAsserted(() -> assertThat(agent.connected()).isFalse());
            assertThat(service.registrations()).isEmpty();
        }
        // the secret never reached the server (the handshake failed first), so it is still usable
        String genuine = JoinToken.text(AUTHORITY.fingerprint().hex(), TestAgentService.JOIN_SECRET);
        try (Agent agent = agent(unenrolled().toBuilder().joinToken(genuine).build())) {
            agent.start();
            await().until(agent::connected);
        }
    }

    @Test
    void anAgentWithNeitherCertificateNorJoinTokenStops() {
        try (Agent agent = agent(unenrolled())) {
            agent.start();

            assertThat(agent.refusal().join().code()).isEqualTo("NOT_ENROLLED");
            assertThat(service.registrations()).isEmpty();
        }
    }

    @Test
    void renewsItsCertificateOverItsStreamBeforeItExpires() throws IOException {
        AgentConfig config = unenrolled();
        // two thirds of its validity are gone: due for renewal
        writeIdentity(config, HOST, Instant.now().minus(Duration.ofHours(2)), Duration.ofMinutes(150));
        try (Agent agent = agent(config)) {
            agent.start();

            await().until(() -> service.renewed().size() == 1);
            X509Certificate renewed = service.renewed().getFirst();
            await().untilAsserted(() -> assertThat(AgentIdentity.load(config.identityDir())
                            .orElseThrow()
                            .certificate())
                    .isEqualTo(renewed));
            assertThat(Certificates.hostId(renewed)).contains(HOST);
            assertThat(service.renewed())
                    .as("one renewal, not one per heartbeat")
                    .hasSize(1);

            service.dropStreams();
            await().until(() -> service.registrations().size() == 2 && agent.connected());
        }
    }

    @Test
    void runFailsFastWithoutATokenFile() throws IOException {
        AgentConfig config =
                config(HOST).toBuilder().tokenFile(directory.resolve("missing")).build();

        assertThat(Agent.run(config)).isEqualTo(Agent.EXIT_FAILED);
    }
}
