package io.vireo.agent.qemu;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the QEMU Machine Protocol over a UNIX domain socket. {@link #connect} reads QEMU's greeting and
 * negotiates capabilities; {@link #execute} sends one command and waits, at most the given timeout, for the answer
 * carrying the same {@code id}; events are passed to the registered {@link QmpEventListener}s.
 *
 * <p>Wire format: QEMU writes one JSON object per line; commands are written the same way. A line longer than
 * {@link #MAX_MESSAGE_BYTES} is a protocol error and closes the connection. At most {@link #MAX_PENDING_COMMANDS}
 * commands wait for an answer at once; a command that times out leaves the connection usable and its late answer is
 * dropped.
 *
 * <p>Threading: thread-safe. Each client owns two virtual threads: a reader, which parses every message, completes
 * waiting commands and calls the event listeners, and a writer, which drains a bounded queue of outgoing commands so
 * that a caller never blocks on the socket for longer than its own timeout. Listeners run on the reader thread and must
 * not call {@link #execute} (it throws {@link IllegalStateException} there). When QEMU exits or the client is closed,
 * every waiting command fails with {@link QmpException.Kind#CONNECTION_CLOSED} and {@link #closed()} completes.
 */
public final class QmpClient implements AutoCloseable {
    /** Longest message accepted from QEMU (the QMP schema, the largest answer there is, is well below). */
    public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
    /** Commands waiting for an answer on one connection at once. */
    public static final int MAX_PENDING_COMMANDS = 64;

    private static final Logger log = LoggerFactory.getLogger(QmpClient.class);
    private static final int READ_BUFFER_BYTES = 16 * 1024;

    private final String label;
    private final SocketChannel channel;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final List<QmpEventListener> listeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<byte[]> outbox = new ArrayBlockingQueue<>(MAX_PENDING_COMMANDS);
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean shutdown = new AtomicBoolean();
    private final AtomicLong nextId = new AtomicLong();
    private final Thread reader;
    private final Thread writer;

    private record Pending(String command, CompletableFuture<JsonNode> reply) {}

    private QmpClient(String label, SocketChannel channel) {
        this.label = label;
        this.channel = channel;
        this.reader = Thread.ofVirtual().name("qmp-reader-" + label).unstarted(this::readLoop);
        this.writer = Thread.ofVirtual().name("qmp-writer-" + label).unstarted(this::writeLoop);
    }

    /**
     * Connects to the QMP socket at {@code socket}, reads the greeting and negotiates capabilities, all within
     * {@code timeout}.
     *
     * @param label names the connection in thread names and log lines (for example the VM's UUID)
     * @throws QmpException of kind {@link QmpException.Kind#CONNECT_FAILED} if any step fails or takes too long
     */
    public static QmpClient connect(Path socket, String label, Duration timeout) {
        requireNonNull(socket, "socket is null");
        requireNonNull(label, "label is null");
        requirePositive(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel channel = open(socket, timeout);
        QmpClient client = new QmpClient(label, channel);
        client.reader.start();
        client.writer.start();
        try {
            client.negotiate(deadline);
            return client;
        } catch (QmpException e) {
            client.close();
            throw new QmpException(
                    QmpException.Kind.CONNECT_FAILED, "QMP handshake on " + socket + " failed: " + e.getMessage(), e);
        }
    }

    /** The greeting QEMU sent on connecting: its version and capabilities. */
    public JsonNode greeting() {
        return requireNonNull(greeting.getNow(null), "greeting is null after connect");
    }

    /** Executes a command without arguments. */
    public JsonNode execute(String command, Duration timeout) {
        return execute(command, Map.of(), timeout);
    }

    /**
     * Executes {@code command} with {@code arguments} (converted to JSON by Jackson) and returns the {@code return}
     * member of QEMU's answer.
     *
     * @throws QmpException {@link QmpException.Kind#COMMAND_FAILED} if QEMU answered with an error,
     *     {@link QmpException.Kind#TIMEOUT} if it did not answer within {@code timeout},
     *     {@link QmpException.Kind#CONNECTION_CLOSED} if the connection is or becomes closed
     */
    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) {
        requireNonNull(command, "command is null");
        requireNonNull(arguments, "arguments is null");
        requirePositive(timeout);
        if (Thread.currentThread() == reader) {
            throw new IllegalStateException("QMP command " + command + " executed from an event listener");
        }
        String id = Long.toString(nextId.incrementAndGet());
        ObjectNode message = mapper.createObjectNode().put("execute", command).put("id", id);
        if (!arguments.isEmpty()) {
            message.set("arguments", mapper.valueToTree(arguments));
        }
        Pending request = new Pending(command, new CompletableFuture<>());
        if (pending.size() >= MAX_PENDING_COMMANDS) {
            throw tooManyPending(command);
        }
        pending.put(id, request);
        try {
            if (!outbox.offer(encode(message))) {
                throw tooManyPending(command);
            }
            if (closed.isDone()) {
                throw closedException(command);
            }
            return request.reply().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new QmpException(
                    QmpException.Kind.TIMEOUT, command + ": no answer from QEMU (" + label + ") within " + timeout);
        } catch (ExecutionException e) {
            throw rethrown(command, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException(QmpException.Kind.TIMEOUT, command + ": interrupted while waiting for QEMU", e);
        } finally {
            pending.remove(id);
        }
    }

    public void addListener(QmpEventListener listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    public void removeListener(QmpEventListener listener) {
        listeners.remove(listener);
    }

    /** Completes when the connection has ended, by {@link #close()} or because QEMU closed it (for example exiting). */
    public CompletableFuture<Void> closed() {
        return closed.copy();
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    /** Closes the connection; waiting commands fail. QEMU keeps running. Idempotent. */
    @Override
    public void close() {
        shutdown(null);
    }

    private static SocketChannel open(Path socket, Duration timeout) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.configureBlocking(false);
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                awaitConnected(channel, timeout);
            }
            channel.configureBlocking(true);
            return channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw new QmpException(
                    QmpException.Kind.CONNECT_FAILED,
                    "cannot connect to QMP socket " + socket + ": " + e.getMessage(),
                    e);
        }
    }

    private static void awaitConnected(SocketChannel channel, Duration timeout) throws IOException {
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_CONNECT);
            if (selector.select(Math.max(1, timeout.toMillis())) == 0 || !channel.finishConnect()) {
                throw new IOException("not connected within " + timeout);
            }
        }
        // Closing the selector deregistered the channel, so it can be made blocking again.
    }

    private void negotiate(long deadlineNanos) {
        try {
            greeting.get(remaining(deadlineNanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new QmpException(QmpException.Kind.TIMEOUT, "no QMP greeting from QEMU (" + label + ")");
        } catch (ExecutionException e) {
            throw rethrown("greeting", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException(QmpException.Kind.TIMEOUT, "interrupted while waiting for the QMP greeting", e);
        }
        execute("qmp_capabilities", Duration.ofNanos(Math.max(1, remaining(deadlineNanos))));
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        Throwable failure = null;
        try {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                splitLines(buffer, line);
                buffer.clear();
            }
        } catch (AsynchronousCloseException e) {
            // close() was called: the normal end.
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            shutdown(failure);
        }
    }

    /** Appends {@code buffer} to {@code line}, dispatching every complete line. */
    private void splitLines(ByteBuffer buffer, ByteArrayOutputStream line) throws IOException {
        byte[] bytes = buffer.array();
        int start = buffer.position();
        for (int i = start; i < buffer.limit(); i++) {
            if (bytes[i] == '\n') {
                appendBounded(line, bytes, start, i - start);
                dispatch(line.toByteArray());
                line.reset();
                start = i + 1;
            }
        }
        appendBounded(line, bytes, start, buffer.limit() - start);
    }

    private static void appendBounded(ByteArrayOutputStream line, byte[] bytes, int offset, int length) {
        if (line.size() + length > MAX_MESSAGE_BYTES) {
            throw new QmpException(
                    QmpException.Kind.PROTOCOL, "QMP message longer than " + MAX_MESSAGE_BYTES + " bytes");
        }
        line.write(bytes, offset, length);
    }

    private void writeLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                ByteBuffer message = ByteBuffer.wrap(outbox.take());
                while (message.hasRemaining()) {
                    channel.write(message);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            shutdown(e);
        }
    }

    private void dispatch(byte[] line) throws IOException {
        if (isBlank(line)) {
            return;
        }
        JsonNode message = mapper.readTree(line);
        if (message == null || !message.isObject()) {
            throw new QmpException(QmpException.Kind.PROTOCOL, "QMP message is not a JSON object");
        }
        if (message.has("QMP")) {
            greeting.complete(message.get("QMP"));
        } else if (message.has("event")) {
            publish(toEvent(message));
        } else if (message.has("return") || message.has("error")) {
            answer(message);
        } else {
            log.warn("QMP ({}): ignoring unknown message {}", label, message);
        }
    }

    private void answer(JsonNode message) {
        JsonNode id = message.get("id");
        Pending request = id == null ? null : pending.remove(id.asText());
        if (request == null) {
            log.debug("QMP ({}): dropping an answer nobody waits for: {}", label, message);
            return;
        }
        JsonNode error = message.get("error");
        if (error != null) {
            request.reply()
                    .completeExceptionally(QmpException.commandFailed(
                            request.command(),
                            error.path("class").asText("GenericError"),
                            error.path("desc").asText("")));
        } else {
            request.reply().complete(message.get("return"));
        }
    }

    private QmpEvent toEvent(JsonNode message) {
        JsonNode timestamp = message.path("timestamp");
        Instant at = Instant.ofEpochSecond(
                timestamp.path("seconds").asLong(),
                timestamp.path("microseconds").asLong() * 1_000);
        JsonNode data = message.has("data") ? message.get("data") : mapper.createObjectNode();
        return new QmpEvent(message.get("event").asText(), data, at);
    }

    private void publish(QmpEvent event) {
        for (QmpEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("QMP ({}): listener failed on event {}", label, event.name(), e);
            }
        }
    }

    private void shutdown(@Nullable Throwable cause) {
        if (!shutdown.compareAndSet(false, true)) {
            return;
        }
        if (cause != null) {
            log.debug("QMP ({}): connection ends: {}", label, cause.toString());
        }
        closeQuietly(channel);
        writer.interrupt();
        QmpException closedError =
                new QmpException(QmpException.Kind.CONNECTION_CLOSED, "QMP connection to QEMU (" + label + ") closed");
        greeting.completeExceptionally(closedError);
        for (Pending request : pending.values()) {
            request.reply().completeExceptionally(closedError);
        }
        outbox.clear();
        closed.complete(null);
    }

    private byte[] encode(ObjectNode message) {
        try {
            byte[] json = mapper.writeValueAsBytes(message);
            byte[] line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
            return line;
        } catch (IOException e) {
            throw new QmpException(QmpException.Kind.PROTOCOL, "cannot encode QMP command: " + e.getMessage(), e);
        }
    }

    private QmpException rethrown(String command, @Nullable Throwable cause) {
        if (cause instanceof QmpException qmp) {
            return qmp.rethrownHere();
        }
        return new QmpException(QmpException.Kind.PROTOCOL, command + ": " + cause, cause);
    }

    private QmpException tooManyPending(String command) {
        return new QmpException(
                QmpException.Kind.TOO_MANY_PENDING,
                command + ": " + MAX_PENDING_COMMANDS + " QMP commands already wait for QEMU (" + label + ")");
    }

    private QmpException closedException(String command) {
        return new QmpException(
                QmpException.Kind.CONNECTION_CLOSED, command + ": QMP connection to QEMU (" + label + ") is closed");
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static long remaining(long deadlineNanos) {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }

    private static void requirePositive(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    private static void closeQuietly(@Nullable SocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing a QMP socket failed", e);
        }
    }
}
