package io.vireo.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Connects the PostgreSQL JDBC driver to a server's UNIX-domain socket, which the driver cannot do by itself. Named in
 * a JDBC URL as {@code socketFactory=io.vireo.store.UnixSocketFactory&socketFactoryArg=/dir/.s.PGSQL.5432}; the
 * host and port of the URL are then ignored. Read timeouts ({@link Socket#setSoTimeout}) are honoured, as the driver
 * needs them for its login, network and notification timeouts.
 *
 * <p>The embedded PostgreSQL listens on such a socket only, in a directory only its owner can enter (see
 * {@link EmbeddedPostgres}).
 */
public final class UnixSocketFactory extends SocketFactory {
    private final Path socketFile;

    /** The constructor the JDBC driver calls, with the URL's {@code socketFactoryArg}. */
    public UnixSocketFactory(String socketFile) {
        this.socketFile = Path.of(requireNonNull(socketFile, "socketFile is null"));
    }

    @Override
    public Socket createSocket() {
        return new UnixSocket(socketFile);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected();
    }

    private Socket connected() throws IOException {
        UnixSocket socket = new UnixSocket(socketFile);
        socket.connect(null, 0);
        return socket;
    }

    /**
     * A {@link Socket} over a non-blocking UNIX-domain {@link SocketChannel}; reads and writes wait on selectors, so a
     * read can time out. One reader and one writer thread at a time, as the driver uses it; {@link #close} from any
     * thread.
     */
    private static final class UnixSocket extends Socket {
        private static final int BUFFER_BYTES = 65_536;
        private final Path socketFile;
        private @Nullable SocketChannel channel;
        private @Nullable Selector readSelector;
        private @Nullable Selector writeSelector;
        private volatile int timeoutMillis;
        private volatile boolean closed;

        UnixSocket(Path socketFile) {
            this.socketFile = socketFile;
        }

        /** Connects to the socket file, whatever address the driver passes. */
        @Override
        public synchronized void connect(@Nullable SocketAddress ignored, int timeout) throws IOException {
            if (closed) {
                throw new SocketException("socket is closed");
            }
            SocketChannel opened = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                opened.connect(UnixDomainSocketAddress.of(socketFile)); // local: connects or fails at once
                opened.configureBlocking(false);
                readSelector = Selector.open();
                writeSelector = Selector.open();
                opened.register(readSelector, SelectionKey.OP_READ);
                opened.register(writeSelector, SelectionKey.OP_WRITE);
            } catch (IOException | RuntimeException e) {
                opened.close();
                throw e;
            }
            channel = opened;
        }

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, 0);
        }

        @Override
        public void bind(@Nullable SocketAddress address) {
            // a UNIX-domain client needs no local address
        }

        @Override
        public InputStream getInputStream() throws IOException {
            SocketChannel open = open();
            Selector selector = requireNonNull(readSelector, "readSelector is null");
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int read = read(one, 0, 1);
                    return read < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] bytes, int offset, int length) throws IOException {
                    if (length == 0) {
                        return 0;
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                    while (true) {
                        int read = open.read(buffer);
                        if (read != 0) {
                            return read;
                        }
                        int timeout = timeoutMillis;
                        int ready = await(selector, timeout);
                        if (ready == 0 && timeout > 0) {
                            throw new SocketTimeoutException("no data from " + socketFile + " in " + timeout + " ms");
                        }
                    }
                }
            };
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            SocketChannel open = open();
            Selector selector = requireNonNull(writeSelector, "writeSelector is null");
            return new OutputStream() {
                @Override
                public void write(int oneByte) throws IOException {
                    write(new byte[] {(byte) oneByte}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                    while (buffer.hasRemaining()) {
                        if (open.write(buffer) == 0) {
                            await(selector, 0);
                        }
                    }
                }
            };
        }

        /** Waits until the channel is ready, or for {@code timeout} ms (0: no limit); the number of keys ready. */
        private int await(Selector selector, int timeout) throws IOException {
            try {
                int ready = timeout > 0 ? selector.select(timeout) : selector.select();
                selector.selectedKeys().clear();
                if (closed) {
                    throw new SocketException("socket is closed");
                }
                return ready;
            } catch (ClosedSelectorException e) {
                throw new SocketException("socket is closed");
            }
        }

        private SocketChannel open() throws SocketException {
            SocketChannel open = channel;
            if (open == null || closed) {
                throw new SocketException("socket is not connected");
            }
            return open;
        }

        @Override
        public synchronized void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (SocketChannel ignored = channel;
                    Selector reads = readSelector;
                    Selector writes = writeSelector) {
                if (reads != null) {
                    reads.wakeup();
                }
                if (writes != null) {
                    writes.wakeup();
                }
            }
        }

        @Override
        public boolean isConnected() {
            return channel != null;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            if (timeout < 0) {
                throw new IllegalArgumentException("timeout must not be negative: " + timeout);
            }
            timeoutMillis = timeout;
        }

        @Override
        public int getSoTimeout() {
            return timeoutMillis;
        }

        // TCP options mean nothing on a UNIX-domain socket; the driver sets them all the same.
        @Override
        public void setTcpNoDelay(boolean on) {}

        @Override
        public boolean getTcpNoDelay() {
            return true;
        }

        @Override
        public void setKeepAlive(boolean on) {}

        @Override
        public boolean getKeepAlive() {
            return false;
        }

        @Override
        public void setSendBufferSize(int size) {}

        @Override
        public int getSendBufferSize() {
            return BUFFER_BYTES;
        }

        @Override
        public void setReceiveBufferSize(int size) {}

        @Override
        public int getReceiveBufferSize() {
            return BUFFER_BYTES;
        }

        @Override
        public String toString() {
            return "UnixSocket[" + socketFile + "]";
        }
    }
}
