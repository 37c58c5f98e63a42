package io.vireo.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.api.http.ErrorResponses;
import io.vireo.common.logging.Correlation;
import io.vireo.controller.port.HostRepository;
import io.vireo.controller.port.Repositories;
import io.vireo.model.CapacityPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Unknown routes, wrong methods, correlation ids and unexpected failures: all in the one error shape. */
class RoutingTest {
    private final ApiFixture api = new ApiFixture();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void unknownRouteIsA404InTheErrorShape() {
        JsonNode error = api.get("/api/v1/nothing-here").assertError(404, "NOT_FOUND");
        assertThat(error.path("message").asText()).contains("/api/v1/nothing-here");

        api.send(HttpRequest.newBuilder(api.uri("/elsewhere")).GET()).assertError(404, "NOT_FOUND");
    }

    @Test
    void requestsJettyRejectsAreInTheErrorShapeToo() throws IOException {
        List<String> requests = List.of(
                "GET /api/v1/vms/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /api/v1/vms HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
                "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                "NONSENSE\r\n\r\n");
        for (String request : requests) {
            String response = raw(request);
            assertThat(response).as(request).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json");
            JsonNode body = new ObjectMapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
            assertThat(body.path("error").path("code").asText()).isEqualTo("INVALID_ARGUMENT");
            assertThat(body.path("error").path("details").isObject()).isTrue();
        }
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port)) {
            socket.getOutputStream().write(request.getBytes(UTF_8));
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), UTF_8);
        }
    }

    @Test
    void wrongMethodIsA405InTheErrorShape() {
        api.send(api.request("/api/v1/vms").PUT(HttpRequest.BodyPublishers.ofString("{}")))
                .assertError(405, "METHOD_NOT_ALLOWED");
        api.send(api.request("/api/v1/hosts").DELETE()).assertError(405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void saneCorrelationIdIsEchoedAndPassedToEvents() {
        api.withCatalog();
        TestResponse created = api.send(api.request("/api/v1/vms")
                .header("X-Correlation-Id", "cli-1234.abc_DEF")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"web\",\"flavor\":\"small\",\"image\":\"cirros\"}")));

        assertThat(created.status()).isEqualTo(202);
        assertThat(created.header("X-Correlation-Id")).isEqualTo("cli-1234.abc_DEF");
        JsonNode events = api.get("/api/v1/events?kind=vm&object=web").json().path("items");
        assertThat(events).isNotEmpty();
        assertThat(events.get(0).path("correlationId").asText()).isEqualTo("cli-1234.abc_DEF");
    }

    @Test
    void insaneCorrelationIdIsReplaced() {
        for (String insane : List.of("has space", "semi;colon", "x".repeat(65), "")) {
            TestResponse response = api.send(api.request("/api/v1/hosts").header("X-Correlation-Id", insane));
            String id = response.header("X-Correlation-Id");
            assertThat(id).as(insane).isNotEqualTo(insane).matches("[0-9a-f-]{36}");
        }
    }

    @Test
    void errorsCarryACorrelationIdToo() {
        TestResponse missing = api.get("/api/v1/vms/ghost");
        missing.assertError(404, "NOT_FOUND");
        assertThat(missing.header("X-Correlation-Id")).isNotBlank();

        TestResponse unknownRoute = api.send(HttpRequest.newBuilder(api.uri("/api/v1/zzz"))
                .header("X-Correlation-Id", "abc")
                .GET());
        assertThat(unknownRoute.header("X-Correlation-Id")).isEqualTo("abc");
    }

    @Test
    void unexpectedFailureIsAGeneric500ThatIsLogged() {
        api.close();
        Logger logger = (Logger) LoggerFactory.getLogger(ErrorResponses.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing(); // takes the MDC now, on the thread that logged
                super.append(event);
            }
        };
        logged.start();
        logger.addAppender(logged);
        logger.setAdditive(false);
        AtomicReference<@Nullable String> servedFor = new AtomicReference<>();
        try (ApiFixture failing = new ApiFixture(1024, store -> withBrokenHosts(store, servedFor))) {
            TestResponse response =
                    failing.send(failing.request("/api/v1/hosts").header("X-Correlation-Id", "c-500"));

            JsonNode error = response.assertError(500, "INTERNAL");
            assertThat(error.path("message").asText()).contains("c-500").doesNotContain("disk on fire");
            assertThat(response.body()).doesNotContain("IllegalStateException").doesNotContain("RoutingTest");
            assertThat(logged.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).contains("c-500");
                assertThat(event.getThrowableProxy().getMessage()).isEqualTo("disk on fire");
                assertThat(event.getMDCPropertyMap()).containsEntry(Correlation.KEY, "c-500");
            });
            assertThat(servedFor.get())
                    .as("the correlation id in the MDC while the handler ran")
                    .isEqualTo("c-500");
        } finally {
            logger.detachAppender(logged);
            logger.setAdditive(true);
        }
    }

    /** Hosts whose every call fails; {@code list()} first records the correlation id in the MDC of its thread. */
    private static Repositories withBrokenHosts(Repositories store, AtomicReference<@Nullable String> servedFor) {
        HostRepository broken = new HostRepository() {
            @Override
            public Host register(HostRegistration registration, CapacityPolicy defaults, Instant now) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public Host register(UUID id, HostRegistration registration, CapacityPolicy defaults, Instant now) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public Host setCapacityPolicy(UUID hostId, CapacityPolicy policy) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public Host resetCapacityPolicy(UUID hostId, CapacityPolicy defaults) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public Optional<Host> find(UUID id) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public Optional<Host> findByName(String name) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public List<Host> list() {
                servedFor.set(Correlation.current());
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public void recordHeartbeats(Map<UUID, HostUsage> usages, Instant now) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public void updateState(UUID hostId, HostState state) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public boolean transition(UUID hostId, HostState expected, HostState next) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public void recordLeaseRenewals(java.util.Collection<UUID> hostIds, Instant now) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public Map<UUID, java.time.Duration> leaseAges(Instant now) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public io.vireo.controller.port.HostDeletion delete(UUID hostId, Instant now) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public boolean startDrain(io.vireo.model.HostDrain drain) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public List<io.vireo.model.HostDrain> drains() {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public boolean endDrain(UUID hostId) {
                throw new IllegalStateException("disk on fire");
            }
        };
        return new Repositories(
                broken,
                store.vms(),
                store.claims(),
                store.events(),
                store.flavors(),
                store.images(),
                store.serverGroups(),
                store.vmStats(),
                store.volumes(),
                store.audit());
    }
}
