package io.vireo.agent;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.vireo.agent.hypervisor.ConsoleOutput;
import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.proto.agent.v1.ConsoleChunk;
import io.vireo.proto.agent.v1.ConsoleRequest;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the server's {@link ConsoleRequest}s off the transport thread. At most {@link #MAX_CONCURRENT_READS} reads
 * run at once; a request beyond that is answered at once with an error instead of queueing, so the stream never waits
 * for the disk. A request never gets more than {@link #MAX_CHUNK_BYTES}, whatever it asks for.
 *
 * <p>Thread-safe; {@link #submit} never blocks.
 */
final class ConsoleReads implements AutoCloseable {
    static final int MAX_CONCURRENT_READS = 4;
    static final int MAX_CHUNK_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(ConsoleReads.class);

    private final HypervisorDriver driver;
    private final Semaphore permits = new Semaphore(MAX_CONCURRENT_READS);
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("vireo-console-read-", 0).factory());

    ConsoleReads(HypervisorDriver driver) {
        this.driver = requireNonNull(driver, "driver is null");
    }

    /** Reads what {@code request} asks for and passes the answer to {@code reply}, on another thread. */
    void submit(ConsoleRequest request, Consumer<ConsoleChunk> reply) {
        requireNonNull(request, "request is null");
        requireNonNull(reply, "reply is null");
        if (!permits.tryAcquire()) {
            reply.accept(failure(request, "too many console reads in flight (at most " + MAX_CONCURRENT_READS + ")"));
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    reply.accept(read(request));
                } finally {
                    permits.release();
                }
            });
        } catch (RejectedExecutionException e) {
            permits.release();
            reply.accept(failure(request, "the agent is shutting down"));
        }
    }

    private ConsoleChunk read(ConsoleRequest request) {
        try {
            UUID vmId = UUID.fromString(request.getVmId());
            int maxBytes = (int) Math.min(Integer.toUnsignedLong(request.getMaxBytes()), MAX_CHUNK_BYTES);
            ConsoleOutput output = driver.readConsole(vmId, request.getOffset(), maxBytes);
            return ConsoleChunk.newBuilder()
                    .setRequestId(request.getRequestId())
                    .setVmId(request.getVmId())
                    .setData(ByteString.copyFrom(output.data()))
                    .setOffset(output.offset())
                    .setNextOffset(output.nextOffset())
                    .setSize(output.size())
                    .build();
        } catch (RuntimeException e) {
            log.debug("Console read of VM {} failed: {}", request.getVmId(), e.toString());
            return failure(request, String.valueOf(e.getMessage()));
        }
    }

    private static ConsoleChunk failure(ConsoleRequest request, String error) {
        return ConsoleChunk.newBuilder()
                .setRequestId(request.getRequestId())
                .setVmId(request.getVmId())
                .setError(error)
                .build();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
