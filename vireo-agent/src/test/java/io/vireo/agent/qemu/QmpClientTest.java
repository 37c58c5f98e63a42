package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.agent.qemu.QmpException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link QmpClient} against a hand-written QMP server on a UNIX socket. */
class QmpClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(200);

    @TempDir
    Path directory;

    private @Nullable FakeQmpServer server;
    private @Nullable QmpClient client;

    @AfterEach
    void tearDown() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connectReadsTheGreetingAndNegotiatesCapabilitiesFirst() throws IOException {
        FakeQmpServer qmp = start((command, request) -> "{\"return\": {}}");
        QmpClient connected = connect();

        assertThat(connected
                        .greeting()
                        .path("version")
                        .path("qemu")
                        .path("major")
                        .asInt())
                .isEqualTo(7);
        assertThat(qmp.received())
                .extracting(node -> node.path("execute").asText())
                .containsExactly("qmp_capabilities");
        assertThat(connected.isOpen()).isTrue();
    }

    @Test
    void executeSendsArgumentsAndReturnsTheReturnMember() throws IOException {
        FakeQmpServer qmp = start((command, request) -> command.equals("qom-get")
                ? "{\"return\": {\"echo\": \""
                        + request.path("arguments").path("path").asText() + "\"}}"
                : null);

        JsonNode result = connect().execute("qom-get", Map.of("path", "/machine", "property", "type"), TIMEOUT);

        assertThat(result.path("echo").asText()).isEqualTo("/machine");
        JsonNode sent = qmp.received().get(1);
        assertThat(sent.path("arguments").path("property").asText()).isEqualTo("type");
        assertThat(sent.path("id").isTextual()).isTrue();
    }

    @Test
    void anErrorAnswerIsATypedException() throws IOException {
        start((command, request) -> "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not"
                + " been found\"}}");
        QmpClient connected = connect();

        assertThatThrownBy(() -> connected.execute("nope", TIMEOUT)).isInstanceOfSatisfying(QmpException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.COMMAND_FAILED);
            assertThat(e.errorClass()).contains("CommandNotFound");
            assertThat(e.getMessage()).isEqualTo("nope: The command nope has not been found");
        });
        assertThat(connected.isOpen()).isTrue();
    }

    @Test
    void aCommandWithoutAnswerTimesOutAndItsLateAnswerIsDropped() throws IOException {
        FakeQmpServer qmp = start((command, request) -> command.equals("slow") ? null : "{\"return\": {\"ok\": 1}}");
        QmpClient connected = connect();

        assertThatThrownBy(() -> connected.execute("slow", SHORT_TIMEOUT))
                .isInstanceOfSatisfying(
                        QmpException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));
        qmp.answer(qmp.received().get(1).path("id").asText(), "{\"return\": {\"late\": true}}");

        assertThat(connected.execute("fast", TIMEOUT).path("ok").asInt()).isEqualTo(1);
    }

    @Test
    void answersAreMatchedToCommandsByIdWhateverTheirOrder() throws IOException {
        FakeQmpServer qmp = start((command, request) -> null);
        QmpClient connected = connect();
        CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(() -> connected.execute("first", TIMEOUT));
        await().atMost(TIMEOUT).until(() -> qmp.received().size() == 2);
        CompletableFuture<JsonNode> second = CompletableFuture.supplyAsync(() -> connected.execute("second", TIMEOUT));
        await().atMost(TIMEOUT).until(() -> qmp.received().size() == 3);

        qmp.answer(qmp.received().get(2).path("id").asText(), "{\"return\": \"for-second\"}");
        qmp.answer(qmp.received().get(1).path("id").asText(), "{\"return\": \"for-first\"}");

        assertThat(first.join().asText()).isEqualTo("for-first");
        assertThat(second.join().asText()).isEqualTo("for-second");
    }

    @Test
    void eventsReachListenersInOrderWithDataAndTimestamp() throws IOException {
        FakeQmpServer qmp = start((command, request) -> "{\"return\": {}}");
        QmpClient connected = connect();
        List<QmpEvent> events = new CopyOnWriteArrayList<>();
        connected.addListener(events::add);

        qmp.sendEvent("STOP", "{}", 1_700_000_000, 250_000);
        qmp.sendEvent("SHUTDOWN", "{\"guest\": true, \"reason\": \"guest-shutdown\"}", 1_700_000_001, 0);
        qmp.send("{\"timestamp\": {\"seconds\": 1700000002, \"microseconds\": 0}, \"event\": \"POWERDOWN\"}");

        await().atMost(TIMEOUT).until(() -> events.size() == 3);
        assertThat(events).extracting(QmpEvent::name).containsExactly("STOP", "SHUTDOWN", "POWERDOWN");
        assertThat(events.get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(1_700_000_000, 250_000_000));
        assertThat(events.get(1).data().path("reason").asText()).isEqualTo("guest-shutdown");
        assertThat(events.get(2).data().isEmpty()).isTrue();
    }

    @Test
    void aListenerThatThrowsDoesNotStopLaterEvents() throws IOException {
        FakeQmpServer qmp = start((command, request) -> "{\"return\": {}}");
        QmpClient connected = connect();
        List<String> seen = new CopyOnWriteArrayList<>();
        connected.addListener(event -> {
            throw new IllegalStateException("listener bug");
        });
        connected.addListener(event -> seen.add(event.name()));

        qmp.sendEvent("RESET", "{}", 1, 0);
        qmp.sendEvent("RESUME", "{}", 2, 0);

        await().atMost(TIMEOUT).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly("RESET", "RESUME");
    }

    @Test
    void executeFromAListenerIsRefused() throws IOException {
        FakeQmpServer qmp = start((command, request) -> "{\"return\": {}}");
        QmpClient connected = connect();
        AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
        connected.addListener(event -> {
            try {
                connected.execute("query-status", TIMEOUT);
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });

        qmp.sendEvent("STOP", "{}", 1, 0);

        await().atMost(TIMEOUT).until(() -> failure.get() != null);
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void whenQemuGoesAwayWaitingCommandsFailAndClosedCompletes() throws IOException {
        FakeQmpServer qmp = start((command, request) -> null);
        QmpClient connected = connect();
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> connected.execute("hang", TIMEOUT));
        await().atMost(TIMEOUT).until(() -> qmp.received().size() == 2);

        qmp.disconnect();

        assertThat(connected.closed()).succeedsWithin(TIMEOUT);
        assertThat(waiting)
                .failsWithin(TIMEOUT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        QmpException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONNECTION_CLOSED));
        assertThat(connected.isOpen()).isFalse();
        assertThatThrownBy(() -> connected.execute("after", TIMEOUT))
                .isInstanceOfSatisfying(
                        QmpException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONNECTION_CLOSED));
    }

    @Test
    void closeEndsTheConnectionAndIsIdempotent() throws IOException {
        FakeQmpServer qmp = start((command, request) -> "{\"return\": {}}");
        QmpClient connected = connect();

        connected.close();
        connected.close();

        assertThat(connected.closed()).isDone();
        assertThat(qmp.connected()).isTrue();
    }

    @Test
    void aServerThatNeverGreetsFailsTheConnectWithinTheTimeout() throws IOException {
        server = new FakeQmpServer(socket(), false, (command, request) -> "{\"return\": {}}");

        assertThatThrownBy(() -> QmpClient.connect(socket(), "test", SHORT_TIMEOUT))
                .isInstanceOfSatisfying(QmpException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONNECT_FAILED);
                    assertThat(e.getMessage()).contains("no QMP greeting");
                });
    }

    @Test
    void aMissingSocketFailsTheConnect() {
        assertThatThrownBy(() -> QmpClient.connect(directory.resolve("absent.sock"), "test", TIMEOUT))
                .isInstanceOfSatisfying(
                        QmpException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONNECT_FAILED));
    }

    @Test
    void aMessageOverTheSizeLimitClosesTheConnection() throws IOException {
        FakeQmpServer qmp = start((command, request) -> "{\"return\": {}}");
        QmpClient connected = connect();
        byte[] endless = new byte[QmpClient.MAX_MESSAGE_BYTES + 1];
        Arrays.fill(endless, (byte) 'x');

        qmp.sendBytes(endless);

        assertThat(connected.closed()).succeedsWithin(TIMEOUT);
    }

    @Test
    void somethingOtherThanJsonClosesTheConnection() throws IOException {
        FakeQmpServer qmp = start((command, request) -> "{\"return\": {}}");
        QmpClient connected = connect();

        qmp.sendBytes("this is not QMP\r\n".getBytes(StandardCharsets.UTF_8));

        assertThat(connected.closed()).succeedsWithin(TIMEOUT);
    }

    private FakeQmpServer start(FakeQmpServer.Responder responder) throws IOException {
        FakeQmpServer started = new FakeQmpServer(socket(), true, responder);
        server = started;
        return started;
    }

    private QmpClient connect() {
        QmpClient connected = QmpClient.connect(socket(), "test", TIMEOUT);
        client = connected;
        return connected;
    }

    private Path socket() {
        return directory.resolve("qmp.sock");
    }
}
