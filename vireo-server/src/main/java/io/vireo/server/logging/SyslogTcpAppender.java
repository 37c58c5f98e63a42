package io.vireo.server.logging;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Forwards log lines to a syslog server over TCP, as RFC 5424 messages with octet-counting framing
 * ({@link SyslogMessageFormat}).
 *
 * <p>Logging never waits for the network: {@link #append} formats the line on the logging thread and offers it to a
 * bounded queue ({@link SyslogSettings#queueCapacity()}); when the queue is full the line is dropped and counted. One
 * daemon thread, the sender, is the only one to touch the socket: it takes lines from the queue, connects when it
 * has no connection, and after a failure waits (doubling from {@link SyslogSettings#firstBackoff()} up to
 * {@link SyslogSettings#maxBackoff()}) before it tries again, keeping the line it could not send. Before the next
 * line after any were dropped it sends one warning saying how many. Before the first line of a batch it checks that the
 * server has not closed the connection (a restart), so that lines logged while the server was down are not written
 * into the old connection. Delivery is still at most once: lines written in the moment a server goes away are lost
 * without a trace, as with any syslog over plain TCP.
 */
public final class SyslogTcpAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration QUIET_CHECK = Duration.ofMillis(20);

    private final SyslogUrl url;
    private final SyslogMessageFormat format;
    private final SyslogSettings settings;
    private final Clock clock;
    private final BlockingQueue<byte[]> queue;
    private final AtomicLong dropped = new AtomicLong();

    /** Lines queued and not yet written; with {@link #flushed}, whether everything logged has gone out. */
    private final AtomicLong unsent = new AtomicLong();

    private volatile long lastAppendNanos = System.nanoTime();
    private volatile boolean stopping;
    private @Nullable Thread sender;

    /** Owned by the sender thread; {@link #stop} closes it too, to end a write the server does not read. */
    private volatile @Nullable Socket socket;

    private @Nullable OutputStream out;

    /** True when everything written was flushed: the next write starts a batch, after a pause perhaps. */
    private volatile boolean flushed = true;

    public SyslogTcpAppender(SyslogUrl url, SyslogMessageFormat format, SyslogSettings settings, Clock clock) {
        this.url = requireNonNull(url, "url is null");
        this.format = requireNonNull(format, "format is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        stopping = false;
        sender = Thread.ofPlatform().daemon().name("vireo-syslog-sender").start(this::sendLoop);
        super.start();
    }

    /** Stops taking lines, then gives the sender {@link SyslogSettings#stopTimeout()} to send those queued. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        stopping = true;
        Thread thread = sender;
        if (thread != null) {
            try {
                if (!thread.join(settings.stopTimeout())) {
                    thread.interrupt(); // ends a backoff
                    closeQuietly(socket); // ends a write blocked on a server that stopped reading
                    thread.join(settings.stopTimeout());
                }
            } catch (InterruptedException e) {
                thread.interrupt();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * For a shutdown hook, which runs while other hooks still log (the server closing): waits until every line logged
     * has been sent and nothing was logged for {@code quiet} since it was called, at most {@code max}, then
     * {@link #stop}s.
     */
    public void stopWhenQuiet(Duration quiet, Duration max) {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        try {
            while (System.nanoTime() - deadline < 0) {
                boolean sent = unsent.get() == 0 && flushed;
                long last = lastAppendNanos;
                long quietSince = last - start > 0 ? last : start; // the other hooks may not have logged yet
                if (sent && System.nanoTime() - quietSince >= quiet.toNanos()) {
                    break;
                }
                Thread.sleep(QUIET_CHECK);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
    }

    /** Lines dropped since the last warning about them was sent. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (Thread.currentThread() == sender) {
            return; // whatever the socket code logs must not loop back into the queue it drains
        }
        lastAppendNanos = System.nanoTime();
        unsent.incrementAndGet(); // before the sender can take it, so that the count never runs below what is queued
        if (!queue.offer(format.frame(event))) {
            unsent.decrementAndGet();
            dropped.incrementAndGet();
        }
    }

    private void sendLoop() {
        Duration backoff = settings.firstBackoff();
        byte[] pending = null;
        while (true) {
            try {
                if (pending == null) {
                    pending = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (pending == null) {
                        if (stopping) {
                            break;
                        }
                        continue;
                    }
                }
                send(pending);
                pending = null;
                backoff = settings.firstBackoff();
            } catch (IOException e) {
                disconnect();
                if (stopping) {
                    break; // nobody to send the rest to before the process ends
                }
                addWarn("syslog server " + url + " unreachable, retrying in " + backoff + ": " + e);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0
                        ? settings.maxBackoff()
                        : backoff.multipliedBy(2);
            } catch (InterruptedException e) {
                break;
            }
        }
        flushQuietly();
        disconnect();
    }

    private void flushQuietly() {
        OutputStream stream = out;
        if (stream != null) {
            try {
                stream.flush();
            } catch (IOException e) {
                // the process is stopping: nothing left to retry with
            }
        }
    }

    /** Sends one line, first the count of lines dropped before it if there were any. */
    private void send(byte[] line) throws IOException {
        OutputStream stream = connected();
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            try {
                stream.write(droppedWarning(lost));
            } catch (IOException e) {
                dropped.addAndGet(lost);
                throw e;
            }
        }
        stream.write(line);
        unsent.decrementAndGet();
        flushed = false;
        if (queue.isEmpty()) {
            stream.flush();
            flushed = true;
        }
    }

    private byte[] droppedWarning(long lost) {
        return format.frame(
                clock.instant(),
                Level.WARN,
                SyslogTcpAppender.class.getName(),
                lost + " log line" + (lost == 1 ? " was" : "s were")
                        + " dropped: the syslog server was unreachable or slower than this process logs (queue of "
                        + settings.queueCapacity() + " lines)",
                null);
    }

    private OutputStream connected() throws IOException {
        OutputStream stream = out;
        Socket connection = socket;
        if (stream != null && connection != null) {
            if (!flushed || !closedByPeer(connection)) {
                return stream;
            }
            disconnect();
        }
        connection = new Socket();
        try {
            connection.connect(
                    new InetSocketAddress(url.host(), url.port()),
                    Math.toIntExact(settings.connectTimeout().toMillis()));
            connection.setKeepAlive(true);
            stream = new BufferedOutputStream(connection.getOutputStream(), 64 * 1024);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
        socket = connection;
        out = stream;
        return stream;
    }

    /**
     * Whether the server closed the connection (a syslog server never writes on it): checked before the first line of
     * each batch, so that a line is not written into a connection a restarted server left, and lost. Costs at most a
     * millisecond per batch.
     */
    private static boolean closedByPeer(Socket connection) {
        try {
            connection.setSoTimeout(1);
            return connection.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false; // open, nothing to read
        } catch (IOException e) {
            return true; // reset
        }
    }

    private void disconnect() {
        Socket connection = socket;
        socket = null;
        out = null;
        closeQuietly(connection);
    }

    private static void closeQuietly(@Nullable Socket connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                // already broken
            }
        }
    }
}
