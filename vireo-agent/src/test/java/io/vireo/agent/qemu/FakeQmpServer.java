package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A hand-written QMP server on a UNIX socket, for testing {@link QmpClient} without QEMU. It accepts one connection,
 * sends a greeting (unless told not to), answers {@code qmp_capabilities} and asks a {@link Responder} for every other
 * command. Tests can push events and raw lines, answer commands later, and drop the connection.
 *
 * <p>Threading: one virtual thread accepts and reads; writes from tests and from that thread are serialised by a lock.
 */
final class FakeQmpServer implements AutoCloseable {
    static final String GREETING =
            "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"fake\"},"
                    + " \"capabilities\": [\"oob\"]}}";

    /** Decides the answer to one command. */
    @FunctionalInterface
    interface Responder {
        /**
         * The answer's body, e.g. {@code {"return": {}}} (the server adds the id), or null to leave the command
         * unanswered (a test may answer it later with {@link #answer}).
         */
        @Nullable
        String answer(String command, JsonNode request);
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final ServerSocketChannel server;
    private final boolean greet;
    private final Responder responder;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Thread thread;
    private volatile @Nullable SocketChannel connection;

    FakeQmpServer(Path socket, boolean greet, Responder responder) throws IOException {
        this.greet = greet;
        this.responder = requireNonNull(responder, "responder is null");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        this.thread = Thread.ofVirtual().name("fake-qmp-server").start(this::serve);
    }

    /** The commands received so far, in order, as QEMU would have read them. */
    List<JsonNode> received() {
        return List.copyOf(received);
    }

    /** Answers the command that carried {@code id} with {@code body}. */
    void answer(String id, String body) {
        try {
            ObjectNode reply = (ObjectNode) mapper.readTree(body);
            reply.put("id", id);
            send(mapper.writeValueAsString(reply));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void sendEvent(String name, String data, long seconds, long microseconds) {
        send("{\"timestamp\": {\"seconds\": " + seconds + ", \"microseconds\": " + microseconds + "}, \"event\": \""
                + name + "\", \"data\": " + data + "}");
    }

    /** Writes {@code line} and a CRLF, as QEMU does. */
    void send(String line) {
        sendBytes((line + "\r\n").getBytes(UTF_8));
    }

    void sendBytes(byte[] bytes) {
        SocketChannel channel = requireNonNull(connection, "no client connected");
        writeLock.lock();
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writeLock.unlock();
        }
    }

    boolean connected() {
        return connection != null;
    }

    /** Drops the client's connection, as an exiting QEMU would. */
    void disconnect() throws IOException {
        SocketChannel channel = connection;
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void close() throws IOException {
        disconnect();
        server.close();
        thread.interrupt();
    }

    private void serve() {
        try (SocketChannel channel = server.accept()) {
            connection = channel;
            if (greet) {
                send(GREETING);
            }
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte next = buffer.get();
                    if (next == '\n') {
                        handle(mapper.readTree(line.toByteArray()));
                        line.reset();
                    } else {
                        line.write(next);
                    }
                }
                buffer.clear();
            }
        } catch (IOException e) {
            // The test closed the server or the client went away.
        }
    }

    private void handle(JsonNode request) {
        received.add(request);
        String command = request.path("execute").asText();
        String id = request.path("id").asText();
        String body = command.equals("qmp_capabilities") ? "{\"return\": {}}" : responder.answer(command, request);
        if (body != null) {
            answer(id, body);
        }
    }
}
