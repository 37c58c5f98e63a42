package io.vireo.agent;

import static io.vireo.agent.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.vireo.agent.fake.FakeDriver;
import io.vireo.agent.testing.RecordingDriver;
import io.vireo.agent.testing.Vms;
import io.vireo.agent.testing.Waits;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import io.vireo.model.Resources;
import io.vireo.proto.agent.v1.ConsoleChunk;
import io.vireo.proto.agent.v1.ConsoleRequest;
import io.vireo.proto.agent.v1.Register;
import io.vireo.proto.agent.v1.VmReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real agent against a real gRPC server on loopback, speaking the agent protocol end to end. */
class AgentEndToEndTest {
    private static final String TOKEN = "s3cret-agent-token";
    private static final UUID WEB = Vms.id(1);
    private static final UUID DB = Vms.id(2);

    private final TestAgentService service = new TestAgentService(TOKEN, 100);
    private final AtomicReference<RecordingDriver> driver = new AtomicReference<>();
    private Server server;
    private Path directory;

    @BeforeEach
    void startServer(@TempDir Path tempDir) throws IOException {
        directory = tempDir;
        server = startServer(0, TestAgentService.authorizationInterceptor());
    }

    private Server startServer(int port, ServerInterceptor interceptor) throws IOException {
        return Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                .addService(ServerInterceptors.intercept(service, interceptor))
                .build()
                .start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private AgentConfig config(String token) throws IOException {
        Path tokenFile = Files.writeString(directory.resolve("token"), token + "\n");
        return AgentConfig.builder("127.0.0.1:" + server.getPort(), "node-1", directory.resolve("state"), tokenFile)
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
        try (Agent agent = agent(config(TOKEN))) {
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
        try (Agent agent = agent(config(TOKEN))) {
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
        AgentConfig config = config(TOKEN);
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
        try (Agent agent = agent(config(TOKEN))) {
            agent.start();
            await().until(() -> service.power(WEB) == ObservedPower.RUNNING);
            ObservedVm before = service.vm(WEB).orElseThrow();
            int port = server.getPort();

            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            await().until(() -> !agent.connected());
            server = startServer(port, TestAgentService.authorizationInterceptor());

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
        try (Agent agent = agent(config(TOKEN))) {
            agent.start();

            AgentRefusal refusal = agent.refusal().join();

            assertThat(refusal).isEqualTo(new AgentRefusal("UNAUTHENTICATED", "wrong agent credential"));
        }
    }

    @Test
    void aRefusedCredentialStopsTheAgentForGood() throws IOException {
        try (Agent agent = agent(config("wrong-token"))) {
            agent.start();

            AgentRefusal refusal = agent.refusal().join();

            assertThat(refusal.code()).isEqualTo("UNAUTHENTICATED");
            assertThat(service.registrations()).hasSize(1);
            assertThat(agent.connected()).isFalse();
        }
    }

    @Test
    void runReturnsANonZeroExitCodeWhenRefused() throws IOException {
        AgentConfig config = config("wrong-token");

        int exitCode = assertTimeoutPreemptively(Waits.TIMEOUT, () -> Agent.run(config));

        assertThat(exitCode).isEqualTo(Agent.EXIT_REFUSED);
    }

    @Test
    void reportsItsReservationInRegister() throws IOException {
        AgentConfig config =
                config(TOKEN).toBuilder().reservation(2L, 4096L, null).build();
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
        AgentConfig config = config(TOKEN).toBuilder()
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
    void runFailsFastWithoutATokenFile() throws IOException {
        AgentConfig config = config(TOKEN).toBuilder()
                .tokenFile(directory.resolve("missing"))
                .build();

        assertThat(Agent.run(config)).isEqualTo(Agent.EXIT_FAILED);
    }
}
